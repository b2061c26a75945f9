import type { PendingEvent } from '@nmirf/platform';
import { excerptOf, type Comment, type ThreadFacts } from './comment';

/** A new comment, as notifications learn of it: who is concerned and an excerpt, not the text. */
export function commentPosted(comment: Comment, thread: ThreadFacts): PendingEvent {
  return {
    case: 'commentPosted',
    // The action: a thread's comments keep their order on the topic.
    aggregateId: comment.actionId,
    payload: {
      commentId: comment.id,
      actionId: comment.actionId,
      actionTitle: thread.title,
      authorId: comment.authorId,
      authorName: comment.authorName,
      authorRole: comment.authorRole,
      authorInstitutionId: comment.authorInstitutionId ?? '',
      leadInstitutionId: thread.lead ?? '',
      supportingInstitutionIds: [...thread.supporting],
      mentions: comment.mentions.map((mention) => ({
        $typeName: 'nmirf.events.v1.CommentMention' as const,
        kind: mention.kind,
        userId: mention.userId ?? '',
        institutionId: mention.institutionId ?? '',
      })),
      excerpt: excerptOf(comment.text),
    },
  };
}

import type { CommentParams, NewNotification } from '../inbox/notification-kind';

/** A comment as CommentPosted carries it (the body stays in the actions service). */
export interface CommentPostedFacts {
  eventId: string;
  commentId: string;
  actionId: string;
  actionTitle: string;
  authorId: string;
  authorName: string;
  authorRole: 'coordinator' | 'institution';
  authorInstitutionId: string;
  leadInstitutionId: string;
  mentions: Array<{ kind: 'user' | 'institution' | 'coordinator'; userId: string; institutionId: string }>;
  excerpt: string;
}

const sameInbox = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Who hears of a comment. Each mention: the mentioned institution's inbox, the mentioned user's
 * institution's inbox addressed to them, or the coordinator's; never the author themselves. Then
 * `comment_posted` to the other side of the conversation (the lead for the coordinator's comment, the
 * coordinator for an institution's), unless that inbox already has a mention of this comment.
 * Notification ids come from `newId`, so the plan is pure.
 */
export function planCommentNotifications(
  event: CommentPostedFacts,
  coordinatorInstitution: string,
  newId: () => string,
): NewNotification[] {
  const params: CommentParams = {
    title: event.actionTitle,
    commentId: event.commentId,
    excerpt: event.excerpt,
    authorId: event.authorId,
    authorName: event.authorName,
    authorRole: event.authorRole,
    ...(event.authorInstitutionId ? { authorInstitution: event.authorInstitutionId } : {}),
  };
  const planned: NewNotification[] = [];
  const about = { actionId: event.actionId, sourceEventId: event.eventId };
  for (const mention of event.mentions) {
    if (mention.kind === 'user' && mention.userId === event.authorId) continue;
    const institution = mention.kind === 'coordinator' ? coordinatorInstitution : mention.institutionId;
    const recipientUserId = mention.kind === 'user' ? mention.userId : null;
    if (!institution || (mention.kind === 'user' && !recipientUserId)) continue;
    const repeated = planned.some(
      (other) =>
        sameInbox(other.institution, institution) && (other.recipientUserId ?? null) === recipientUserId,
    );
    if (repeated) continue;
    planned.push({
      ...about,
      id: newId(),
      institution,
      recipientUserId,
      kind: 'comment_mention',
      params: { ...params, mentionedAs: mention.kind },
    });
  }
  const otherSide = event.authorRole === 'coordinator' ? event.leadInstitutionId : coordinatorInstitution;
  if (otherSide && !planned.some((notification) => sameInbox(notification.institution, otherSide)))
    planned.push({ ...about, id: newId(), institution: otherSide, kind: 'comment_posted', params });
  return planned;
}

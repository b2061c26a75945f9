import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Events, type EventEnvelope } from '@nmirf/contracts';
import { EventContext, PermanentEventError } from '@nmirf/platform';
import { CommentFollowUp } from './comment-follow-up';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MENTION_KINDS = ['user', 'institution', 'coordinator'] as const;
const AUTHOR_ROLES = ['coordinator', 'institution'] as const;

/** Kafka edge: comments on actions, into the inboxes they concern. */
@Controller()
export class CommentEventsHandler {
  constructor(private readonly followUp: CommentFollowUp) {}

  @EventPattern(Events.commentPosted.type)
  async onCommentPosted(@Payload() envelope: EventEnvelope, @Ctx() context: EventContext): Promise<void> {
    if (envelope.payload.case !== 'commentPosted') return;
    const event = envelope.payload.value;
    await this.followUp.commentPosted(
      {
        eventId: envelope.eventId,
        commentId: uuid(event.commentId, 'comment_id'),
        actionId: uuid(event.actionId, 'action_id'),
        actionTitle: event.actionTitle,
        authorId: event.authorId,
        authorName: event.authorName,
        authorRole: oneOf(AUTHOR_ROLES, event.authorRole, 'author_role'),
        authorInstitutionId: event.authorInstitutionId,
        leadInstitutionId: event.leadInstitutionId,
        mentions: event.mentions.map((mention) => ({
          kind: oneOf(MENTION_KINDS, mention.kind, 'mentions.kind'),
          userId: mention.userId,
          institutionId: mention.institutionId,
        })),
        excerpt: event.excerpt,
      },
      context.manager,
    );
  }
}

/** A malformed id or an unknown kind is the producer's bug: the event goes to the dead-letter topic. */
function uuid(value: string, field: string): string {
  if (!UUID.test(value)) throw new PermanentEventError(`${field} must be a UUID`);
  return value;
}

function oneOf<T extends string>(allowed: readonly T[], value: string, field: string): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new PermanentEventError(`${field} must be one of ${allowed.join(', ')}`);
  return value as T;
}

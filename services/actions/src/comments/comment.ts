import { unsafeTextProblem } from '@nmirf/platform';
import { sameInstitution } from '../workflow/actor';

/**
 * A comment on an action's thread, between the coordinator and the action's institutions. The rules
 * here are pure: who may be mentioned, the text's limits, the edit window and the excerpt events carry.
 */
export interface Comment {
  id: string;
  actionId: string;
  /** What the author wrote (column `body`). */
  text: string;
  mentions: Mention[];
  authorId: string;
  authorName: string;
  /** `coordinator`, or `institution` for a focal point or validator of one of the action's institutions. */
  authorRole: AuthorRole;
  /** The institution an institution's comment speaks for; null for the coordinator's. */
  authorInstitutionId: string | null;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  deletedBy: string | null;
}

export type AuthorRole = 'coordinator' | 'institution';

export const MENTION_KINDS = ['user', 'institution', 'coordinator'] as const;
export type MentionKind = (typeof MENTION_KINDS)[number];

/** As the author writes it: a user id or an institution id; `coordinator` names the secretariat. */
export interface MentionRequest {
  kind: MentionKind;
  id?: string;
}

/** As stored and published: each mention resolved to the inbox that receives it. */
export interface Mention {
  kind: MentionKind;
  /** The user's token subject (`user`), or null. */
  userId: string | null;
  /** The institution mentioned, or the mentioned user's institution among the action's; null for the coordinator. */
  institutionId: string | null;
}

/** The action as a thread needs it: its title and institutions, and who works for them. */
export interface ThreadFacts {
  id: string;
  title: string;
  lead: string | null;
  supporting: string[];
  /** Focal points and validators (token subjects) of each of the action's institutions, lead first. */
  people: Array<{ institutionId: string; userIds: string[] }>;
}

export const MAX_TEXT_LENGTH = 4_000;
export const MAX_MENTIONS = 20;
export const MAX_MENTION_ID_LENGTH = 255;
export const EXCERPT_LENGTH = 140;
/** The author may correct a comment this long after posting it; after that it stands (or is deleted). */
export const EDIT_WINDOW_MS = 15 * 60 * 1000;

// Tabs and line breaks are text; every other control character (NUL, escapes, DEL, C1) is not.
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

export const TEXT_RULE = `must be 1 to ${MAX_TEXT_LENGTH} characters, not blank, without control characters other than tabs and line breaks`;

export function isCommentText(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_TEXT_LENGTH &&
    value.trim() !== '' &&
    !CONTROL.test(value) &&
    unsafeTextProblem(value) === undefined
  );
}

/** The start of the text on one line, for a notification: whitespace folded, cut at a character. */
export function excerptOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const characters = Array.from(line);
  if (characters.length <= EXCERPT_LENGTH) return line;
  return `${characters
    .slice(0, EXCERPT_LENGTH - 1)
    .join('')
    .trimEnd()}…`;
}

/** A mention the action's people cannot take: it names something that cannot see the action. */
export interface MentionProblem {
  /** Index in the request's `mentions`. */
  index: number;
  message: string;
}

/**
 * Resolves each mention to an inbox. A user must be a focal point or validator of one of the action's
 * institutions (the directory says who); an institution must be the lead or a supporting one; the
 * coordinator always sees the action. A mention named twice counts once.
 */
export function resolveMentions(
  requests: readonly MentionRequest[],
  thread: ThreadFacts,
): { mentions: Mention[]; problems: MentionProblem[] } {
  const mentions: Mention[] = [];
  const problems: MentionProblem[] = [];
  const institutions = [...(thread.lead ? [thread.lead] : []), ...thread.supporting];
  const add = (mention: Mention) => {
    const seen = mentions.some(
      (other) =>
        other.kind === mention.kind &&
        other.userId === mention.userId &&
        (other.institutionId === mention.institutionId ||
          (other.institutionId !== null &&
            mention.institutionId !== null &&
            sameInstitution(other.institutionId, mention.institutionId))),
    );
    if (!seen) mentions.push(mention);
  };
  requests.forEach((request, index) => {
    switch (request.kind) {
      case 'coordinator':
        add({ kind: 'coordinator', userId: null, institutionId: null });
        return;
      case 'institution': {
        const institution = institutions.find((id) => sameInstitution(id, request.id ?? ''));
        if (institution) add({ kind: 'institution', userId: null, institutionId: institution });
        else
          problems.push({
            index,
            message: `institution "${request.id}" is not one of the action’s institutions, so it cannot see the action`,
          });
        return;
      }
      case 'user': {
        const home = thread.people.find((entry) => entry.userIds.includes(request.id ?? ''));
        if (home) add({ kind: 'user', userId: request.id ?? '', institutionId: home.institutionId });
        else
          problems.push({
            index,
            message: `user "${request.id}" is no focal point or validator of the action’s institutions, so they cannot see the action`,
          });
        return;
      }
    }
  });
  return { mentions, problems };
}

/** What is wrong with a mention's shape (not whom it names), or undefined. */
export function mentionShapeProblem(request: MentionRequest): string | undefined {
  if (!(MENTION_KINDS as readonly string[]).includes(request.kind))
    return `kind must be one of ${MENTION_KINDS.join(', ')}`;
  if (request.kind === 'coordinator')
    return request.id === undefined ? undefined : 'id must be left out for the coordinator';
  if (
    typeof request.id !== 'string' ||
    request.id.trim() === '' ||
    request.id.length > MAX_MENTION_ID_LENGTH ||
    /\p{Cc}/u.test(request.id)
  )
    return `id must be a ${request.kind} id of 1 to ${MAX_MENTION_ID_LENGTH} characters, without control characters`;
  return undefined;
}

/** Whether the author may still correct the comment at `now`. */
export const withinEditWindow = (comment: Comment, now: Date): boolean =>
  now.getTime() - comment.createdAt.getTime() <= EDIT_WINDOW_MS;

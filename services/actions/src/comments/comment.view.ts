import type { Comment } from './comment';

/** A comment as the thread's readers see it; a deleted one keeps its place, without its text. */
export function commentView(comment: Comment) {
  const deleted = comment.deletedAt !== null;
  return {
    id: comment.id,
    actionId: comment.actionId,
    text: deleted ? null : comment.text,
    mentions: deleted
      ? []
      : comment.mentions.map(({ kind, userId, institutionId }) => ({ kind, userId, institutionId })),
    authorId: comment.authorId,
    authorName: comment.authorName,
    authorRole: comment.authorRole,
    authorInstitutionId: comment.authorInstitutionId,
    createdAt: comment.createdAt,
    editedAt: comment.editedAt,
    deleted,
    deletedAt: comment.deletedAt,
    deletedBy: comment.deletedBy,
  };
}

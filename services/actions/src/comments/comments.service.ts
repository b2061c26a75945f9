import { Injectable } from '@nestjs/common';
import { DomainError, EventOutbox, type Principal } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { actorOf, maySeeAction } from '../progress/progress-report';
import { sameInstitution } from '../workflow/actor';
import {
  isCommentText,
  mentionShapeProblem,
  resolveMentions,
  TEXT_RULE,
  withinEditWindow,
  EDIT_WINDOW_MS,
  type Comment,
  type MentionProblem,
  type MentionRequest,
} from './comment';
import { commentPosted } from './comment-events';
import { CommentRepository } from './comment.repository';

/** Mentions of people or institutions that cannot see the action (HTTP: 422, naming each). */
export class MentionRefusedError extends Error {
  constructor(readonly problems: MentionProblem[]) {
    super('Only the coordinator and the action’s institutions, and their people, can be mentioned');
  }
}

/** A change the comment no longer allows (HTTP: 409). */
export class CommentClosedError extends Error {}

/** Someone who sees the thread, but whose comment this is not (HTTP: 403). */
export class NotYourCommentError extends Error {}

/**
 * Comment threads on actions. Who may read and write a thread is who may see the action's work
 * (`maySeeAction`, as for progress reports): the coordinator and the focal points and validators of
 * the action's lead and supporting institutions; anyone else gets 404 for the action.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  async post(
    actionId: string,
    caller: Principal,
    input: { text: string; mentions: MentionRequest[] },
  ): Promise<Comment> {
    if (!isCommentText(input.text)) throw new DomainError('unprocessable', `text ${TEXT_RULE}`);
    const shape = input.mentions
      .map((mention, index) => ({ index, message: mentionShapeProblem(mention) }))
      .filter((problem): problem is MentionProblem => problem.message !== undefined);
    if (shape.length > 0) throw new MentionRefusedError(shape);
    return this.dataSource.transaction(async (manager) => {
      const repository = new CommentRepository(manager);
      const thread = await repository.thread(actionId, { lock: true });
      if (!thread || !maySeeAction(actorOf(caller), thread)) throw DomainError.notFound('Action', actionId);
      const { mentions, problems } = resolveMentions(input.mentions, thread);
      if (problems.length > 0) throw new MentionRefusedError(problems);
      const coordinator = caller.roles.has('coordinator');
      const comment = await repository.insert({
        id: randomUUID(),
        actionId,
        text: input.text,
        mentions,
        authorId: caller.subject,
        authorName: caller.name,
        authorRole: coordinator ? 'coordinator' : 'institution',
        authorInstitutionId: coordinator
          ? null
          : (thread.people
              .map((entry) => entry.institutionId)
              .find((institution) => caller.institutions.some((own) => sameInstitution(own, institution))) ??
            null),
        editedAt: null,
        deletedAt: null,
        deletedBy: null,
      });
      await this.outbox.append(manager, commentPosted(comment, thread));
      return comment;
    });
  }

  async list(
    actionId: string,
    caller: Principal,
    page: { limit: number; offset: number },
  ): Promise<{ items: Comment[]; total: number }> {
    const repository = new CommentRepository(this.dataSource.manager);
    await visibleThread(repository, actionId, caller);
    return repository.page(actionId, page);
  }

  /** The author corrects the text within the edit window; mentions stay as posted. */
  async edit(actionId: string, id: string, caller: Principal, text: string): Promise<Comment> {
    if (!isCommentText(text)) throw new DomainError('unprocessable', `text ${TEXT_RULE}`);
    return this.dataSource.transaction(async (manager) => {
      const repository = new CommentRepository(manager);
      await visibleThread(repository, actionId, caller);
      const comment = await repository.find(actionId, id, { lock: true });
      if (!comment) throw DomainError.notFound('Comment', id);
      if (comment.authorId !== caller.subject)
        throw new NotYourCommentError('Only the author may edit a comment');
      if (comment.deletedAt) throw new CommentClosedError('The comment was deleted');
      if (!withinEditWindow(comment, new Date()))
        throw new CommentClosedError(
          `A comment can be edited for ${EDIT_WINDOW_MS / 60_000} minutes after posting; post a new one`,
        );
      return repository.edit(comment, text);
    });
  }

  /** The author, or the coordinator (moderation), deletes; the row stays for the audit trail. */
  async delete(actionId: string, id: string, caller: Principal): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const repository = new CommentRepository(manager);
      await visibleThread(repository, actionId, caller);
      const comment = await repository.find(actionId, id, { lock: true });
      if (!comment) throw DomainError.notFound('Comment', id);
      if (comment.authorId !== caller.subject && !caller.roles.has('coordinator'))
        throw new NotYourCommentError('Only the author or the coordinator may delete a comment');
      await repository.softDelete(comment, caller.subject);
    });
  }
}

async function visibleThread(repository: CommentRepository, actionId: string, caller: Principal) {
  const thread = await repository.thread(actionId);
  if (!thread || !maySeeAction(actorOf(caller), thread)) throw DomainError.notFound('Action', actionId);
  return thread;
}

import { Injectable, PreconditionFailedException } from '@nestjs/common';
import { timestampFromDate } from '@nmirf/contracts';
import {
  actsFor,
  currentContext,
  DomainError,
  EventOutbox,
  visibleInstitutions,
  type Principal,
} from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import { sameId } from '../institutions/institution';
import { InstitutionRepository } from '../institutions/institution.repository';
import { Plan } from '../plans/plan.entity';
import { KnownRecommendation } from '../recommendations/known-recommendation.entity';
import { recomputeImplementationStatus } from '../rollup/recompute-implementation-status';
import { decide, propose, type Actor, type Command, type CommandType, type WorkflowState } from '../workflow';
import { isoDate, type ActionDetails } from './action-details';
import type { ActionStatus } from './action-status';
import { appendActionSnapshot } from './action-snapshot';
import { ActionStore } from './action-store';
import { Action } from './action.entity';
import { contractStatus } from './contract-status';
import { assertDueDateAhead } from './due-date';
import { ProgressUpdate } from './progress-update.entity';
import { progressPath } from './progress-path';
import { actorOf, refusalToHttp } from './workflow-wiring';

export interface NewAction {
  recommendationId: string;
  title: string;
  description?: string;
  assignment?: Assignment;
}

export interface Assignment {
  /** The lead institution's id in the directory (any case); it must be active. */
  institution: string;
  dueAt: Date;
}

export interface ActionFilter {
  institution?: string;
  status?: ActionStatus;
  recommendationId?: string;
  limit: number;
  offset: number;
}

/** An action as the API shows it: with its supporting institutions and recommendations. */
export type ActionView = Action & { supportingInstitutions: string[]; recommendationIds: string[] };

/** Whether the version the caller read is still the current one (HTTP: If-Match). */
export type Precondition = (currentVersion: number) => boolean;

/** A workflow command as the API takes it; an assignment may also set the due date. */
export type ActionCommand = Command & { dueAt?: Date };

/** What `POST /actions/{id}/progress` records for a reason it could not ask for (it predates them). */
export const PROGRESS_REASON = 'progress-report';

/** The coordinator, for trusted internal calls that carry no token (seeding, tests). */
const SECRETARIAT: Actor = { roles: ['coordinator'], institutions: [] };

interface Step {
  command: CommandType;
  from: ActionStatus;
  to: ActionStatus;
  reason: string;
}

/** Use cases of actions and their workflow. Each change and its events commit together. */
@Injectable()
export class ActionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  async create(input: NewAction, caller?: Principal): Promise<ActionView> {
    const actor = caller ? actorOf(caller) : SECRETARIAT;
    const proposal = propose(actor);
    if (!proposal.ok) throw refusalToHttp(proposal.code, '', true);
    return this.dataSource.transaction(async (manager) => {
      const known = await manager.existsBy(KnownRecommendation, { id: input.recommendationId });
      if (!known) {
        throw new DomainError(
          'unprocessable',
          `Recommendation ${input.recommendationId} is unknown (it may not have reached this service yet)`,
        );
      }
      const action = manager.create(Action, {
        id: randomUUID(),
        recommendationId: input.recommendationId,
        title: input.title,
        description: input.description ?? '',
        status: proposal.state.action.status,
        institution: null,
        dueAt: null,
        version: 1,
      });
      await manager.insert(Action, action);
      const store = new ActionStore(manager);
      await store.addRecommendations(action.id, [action.recommendationId]);
      await this.outbox.append(manager, {
        case: 'actionCreated',
        aggregateId: action.id,
        payload: { actionId: action.id, recommendationId: action.recommendationId, title: action.title },
      });
      if (input.assignment) {
        const { institution, dueAt } = input.assignment;
        await this.decideAndApply(
          manager,
          action,
          { type: 'assign', lead: institution, supporting: [], dueAt },
          actor,
        );
      } else {
        await recomputeImplementationStatus(manager, this.outbox, action.recommendationId);
      }
      await appendActionSnapshot(manager, this.outbox, action.id);
      return this.view(manager, action);
    });
  }

  /**
   * `PUT /actions/{id}/assignment`: a new lead and due date, supporting institutions kept. The same
   * lead only moves the due date, as it always has.
   */
  async assign(actionId: string, assignment: Assignment, caller?: Principal): Promise<ActionView> {
    return this.dataSource.transaction(async (manager) => {
      const store = new ActionStore(manager);
      const action = await store.lock(actionId);
      if (action.institution !== null && sameId(action.institution, assignment.institution)) {
        if (action.status === 'completed' || action.status === 'cancelled')
          throw new DomainError('conflict', `A ${action.status} action cannot be reassigned`);
        await this.moveDueDate(manager, action, assignment.dueAt, '');
        await appendActionSnapshot(manager, this.outbox, action.id);
        return this.view(manager, action);
      }
      const supporting = (await store.supporting(actionId)).filter(
        (id) => !sameId(id, assignment.institution),
      );
      const command: ActionCommand = {
        type: 'assign',
        lead: assignment.institution,
        supporting,
        dueAt: assignment.dueAt,
      };
      await this.decideAndApply(manager, action, command, caller ? actorOf(caller) : SECRETARIAT);
      await appendActionSnapshot(manager, this.outbox, action.id);
      return this.view(manager, action);
    });
  }

  /**
   * A workflow command on an action (`POST /actions/{id}/acknowledge` and the like). Another
   * institution's action is 404; a stale `precondition` 412; the workflow's refusals its own codes.
   */
  async command(
    actionId: string,
    command: ActionCommand,
    caller: Principal,
    precondition: Precondition,
  ): Promise<ActionView> {
    return this.dataSource.transaction(async (manager) => {
      const store = new ActionStore(manager);
      const action = await store.lock(actionId);
      const supporting = await store.supporting(actionId);
      if (!sees(caller, action, supporting)) throw DomainError.notFound('Action', actionId);
      if (!precondition(action.version))
        throw new PreconditionFailedException(
          `The action has changed since it was read (its ETag is now "${action.version}")`,
        );
      await this.decideAndApply(manager, action, command, actorOf(caller), supporting);
      await appendActionSnapshot(manager, this.outbox, action.id);
      return this.view(manager, action);
    });
  }

  /** `PATCH /actions/{id}`: the plan, dates, milestones, budget line, recommendations, SDG targets. */
  async update(actionId: string, details: ActionDetails, precondition: Precondition): Promise<ActionView> {
    return this.dataSource.transaction(async (manager) => {
      const store = new ActionStore(manager);
      const action = await store.lock(actionId);
      if (!precondition(action.version))
        throw new PreconditionFailedException(
          `The action has changed since it was read (its ETag is now "${action.version}")`,
        );
      const changes: Partial<Action> = {};
      if (details.title !== undefined) changes.title = details.title;
      if (details.description !== undefined) changes.description = details.description;
      if (details.startDate !== undefined)
        changes.startDate = details.startDate === null ? null : isoDate(details.startDate);
      if (details.budgetLine !== undefined) changes.budgetLine = details.budgetLine;
      if (details.milestones !== undefined)
        changes.milestones = details.milestones.map(({ title, dueDate, done }) => ({
          title,
          dueDate: isoDate(dueDate),
          done,
        }));
      if (details.sdgTargets !== undefined) changes.sdgTargets = [...new Set(details.sdgTargets)];
      if (details.planId !== undefined && details.planId !== null) {
        if (!(await manager.existsBy(Plan, { id: details.planId })))
          throw new DomainError('unprocessable', `Plan ${details.planId} does not exist`);
      }
      if (details.planId !== undefined) changes.planId = details.planId;
      const before = await store.recommendations(action);
      let recommendations = before;
      if (details.recommendationIds !== undefined) {
        recommendations = [...new Set(details.recommendationIds)];
        const known = await manager.countBy(KnownRecommendation, { id: In(recommendations) });
        if (known !== recommendations.length)
          throw new DomainError(
            'unprocessable',
            'Every recommendation must be known to this service (it may not have reached it yet)',
          );
        changes.recommendationId = recommendations[0];
        await store.replaceRecommendations(action.id, recommendations);
      }
      Object.assign(action, changes, { version: action.version + 1 });
      await manager.update(Action, { id: action.id }, { ...changes, version: action.version });
      for (const recommendationId of new Set([...before, ...recommendations]))
        await recomputeImplementationStatus(manager, this.outbox, recommendationId);
      await appendActionSnapshot(manager, this.outbox, action.id);
      return this.view(manager, action);
    });
  }

  async changeDueDate(actionId: string, dueAt: Date, reason: string): Promise<ActionView> {
    return this.dataSource.transaction(async (manager) => {
      const action = await new ActionStore(manager).lock(actionId);
      await this.moveDueDate(manager, action, dueAt, reason);
      await appendActionSnapshot(manager, this.outbox, action.id);
      return this.view(manager, action);
    });
  }

  /**
   * `POST /actions/{id}/progress`, which predates the workflow: the status asked for is reached by
   * the workflow's own commands (progress-path.ts), each decided for the caller. The coordinator
   * reports on the lead institution's behalf, so may also take its steps (acknowledge, start).
   * A reason the workflow asks for is the note, or PROGRESS_REASON without one.
   * `caller` undefined: a trusted internal call, as the coordinator.
   */
  async reportProgress(
    actionId: string,
    status: ActionStatus,
    note: string,
    caller?: Principal,
  ): Promise<ProgressUpdate> {
    return this.dataSource.transaction(async (manager) => {
      const store = new ActionStore(manager);
      const action = await store.lock(actionId);
      const supporting = await store.supporting(actionId);
      if (caller && !sees(caller, action, supporting)) throw DomainError.notFound('Action', actionId);
      const from = action.status;
      const path = progressPath(from, status);
      if (path === null || (path.length === 0 && (from === 'completed' || from === 'cancelled')))
        throw refusalToHttp('invalid_transition', actionId, true, from);
      let actor = caller ? actorOf(caller) : SECRETARIAT;
      if (actor.roles.includes('coordinator') && action.institution)
        actor = {
          roles: [...actor.roles, 'focal_point'],
          institutions: [...actor.institutions, action.institution],
        };
      const reason = note.trim() === '' ? PROGRESS_REASON : note;
      const steps: Step[] = [];
      let state: WorkflowState = {
        action: { status: from, lead: action.institution, supporting },
        report: null,
      };
      for (const type of path) {
        const command = { type, reason } as Command;
        const decision = decide(state, command, actor);
        if (!decision.ok) throw refusalToHttp(decision.code, actionId, true, state.action.status);
        steps.push({
          command: type,
          from: state.action.status,
          to: decision.state.action.status,
          reason: 'reason' in command ? reason : '',
        });
        state = { action: decision.state.action, report: null };
      }
      const update = manager.create(ProgressUpdate, {
        id: randomUUID(),
        actionId,
        previousStatus: from,
        status,
        note,
        reportedBy: currentContext()?.actor?.id ?? 'anonymous',
      });
      await manager.insert(ProgressUpdate, update);
      await this.record(manager, action, supporting, steps, note);
      await appendActionSnapshot(manager, this.outbox, action.id);
      return update;
    });
  }

  /** Another institution's action is "not found" to a focal point: its existence is not revealed. */
  async get(actionId: string, caller?: Principal): Promise<ActionView> {
    const manager = this.dataSource.manager;
    const action = await manager.findOneBy(Action, { id: actionId });
    if (!action) throw DomainError.notFound('Action', actionId);
    const view = await this.view(manager, action);
    if (caller && !sees(caller, action, view.supportingInstitutions))
      throw DomainError.notFound('Action', actionId);
    return view;
  }

  /**
   * Institutions match as the token claim does: case-insensitively, resolved to directory ids. An
   * institution's actions are those it leads or supports; a recommendation's, all that serve it.
   */
  async list(filter: ActionFilter, caller?: Principal): Promise<{ items: ActionView[]; total: number }> {
    const visible = caller ? visibleInstitutions(caller) : undefined;
    if (visible && filter.institution && !visible.some((own) => sameId(own, filter.institution as string)))
      return { items: [], total: 0 };
    const directory = new InstitutionRepository(this.dataSource.manager);
    const institutions = filter.institution
      ? await directory.canonicalIds([filter.institution])
      : visible && (await directory.canonicalIds(visible));
    if (institutions && institutions.length === 0) return { items: [], total: 0 };
    const query = this.dataSource.manager.createQueryBuilder(Action, 'action');
    if (institutions)
      query.andWhere(
        new Brackets((either) =>
          either.where('action.institution IN (:...institutions)', { institutions }).orWhere(
            `EXISTS (SELECT 1 FROM action_supporting_institutions s
                        WHERE s.action_id = action.id AND s.institution_id IN (:...institutions))`,
          ),
        ),
      );
    if (filter.status) query.andWhere('action.status = :status', { status: filter.status });
    if (filter.recommendationId)
      query.andWhere(
        `EXISTS (SELECT 1 FROM action_recommendations r
                  WHERE r.action_id = action.id AND r.recommendation_id = :recommendationId)`,
        { recommendationId: filter.recommendationId },
      );
    const [actions, total] = await query
      .orderBy('action.createdAt', 'ASC')
      .addOrderBy('action.id', 'ASC')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
    const items = await Promise.all(actions.map((action) => this.view(this.dataSource.manager, action)));
    return { items, total };
  }

  async history(actionId: string, caller?: Principal): Promise<ProgressUpdate[]> {
    await this.get(actionId, caller);
    return this.dataSource.manager.find(ProgressUpdate, {
      where: { actionId },
      order: { reportedAt: 'ASC' },
    });
  }

  private async view(manager: EntityManager, action: Action): Promise<ActionView> {
    const store = new ActionStore(manager);
    return Object.assign(action, {
      supportingInstitutions: await store.supporting(action.id),
      recommendationIds: await store.recommendations(action),
    });
  }

  /** Decides one command for `actor` and, when the workflow allows it, records it. */
  private async decideAndApply(
    manager: EntityManager,
    action: Action,
    command: ActionCommand,
    actor: Actor,
    supporting?: string[],
  ): Promise<void> {
    const current = supporting ?? (await new ActionStore(manager).supporting(action.id));
    const state = {
      action: { status: action.status, lead: action.institution, supporting: current },
      report: null,
    };
    const decision = decide(state, command, actor);
    if (!decision.ok) throw refusalToHttp(decision.code, action.id, true, action.status);
    const step: Step = {
      command: command.type,
      from: action.status,
      to: decision.state.action.status,
      reason: 'reason' in command ? command.reason : '',
    };
    if (command.type !== 'assign') return this.record(manager, action, current, [step], null);
    const dueAt = command.dueAt ?? action.dueAt;
    if (!dueAt) throw new DomainError('unprocessable', 'dueDate is required for the first assignment');
    if (command.dueAt) assertDueDateAhead(command.dueAt);
    const directory = new InstitutionRepository(manager);
    const [lead, ...others] = await Promise.all(
      [command.lead, ...command.supporting].map(async (id) => {
        const institution = await directory.find(id);
        if (!institution)
          throw new DomainError(
            'unprocessable',
            `Institution ${id} is not in the directory (GET /institutions lists it)`,
          );
        if (!institution.active)
          throw new DomainError('unprocessable', `Institution ${institution.id} is inactive`);
        return institution;
      }),
    );
    const previous = await leadInstitution(manager, action.institution);
    action.institution = lead.id;
    action.dueAt = dueAt;
    const supportingIds = others.map((one) => one.id);
    await manager.update(Action, { id: action.id }, { institution: lead.id, dueAt });
    await this.record(manager, action, supportingIds, [step], null);
    await this.outbox.append(manager, {
      case: 'actionAssigned',
      aggregateId: action.id,
      payload: {
        actionId: action.id,
        recommendationId: action.recommendationId,
        title: action.title,
        institution: lead.nameEn,
        institutionId: lead.id,
        dueAt: timestampFromDate(dueAt),
        previousInstitution: previous.institution,
        previousInstitutionId: previous.institutionId,
        status: contractStatus[action.status],
      },
    });
  }

  /**
   * Stores the steps' outcome, a new version, an ActionTransitioned per step and, when the status
   * changed (or a progress note was given), ActionProgressReported, which deadlines and counts
   * follow; then rolls the action's recommendations up again.
   */
  private async record(
    manager: EntityManager,
    action: Action,
    supporting: readonly string[],
    steps: readonly Step[],
    note: string | null,
  ): Promise<void> {
    const from = action.status;
    const to = steps.at(-1)?.to ?? from;
    const store = new ActionStore(manager);
    const before = await store.supporting(action.id);
    if (before.join('\n') !== [...supporting].sort().join('\n'))
      await store.setSupporting(action.id, supporting);
    action.status = to;
    action.version += 1;
    await manager.update(Action, { id: action.id }, { status: to, version: action.version });
    for (const step of steps) {
      await this.outbox.append(manager, {
        case: 'actionTransitioned',
        aggregateId: action.id,
        payload: {
          actionId: action.id,
          command: step.command,
          fromStatus: contractStatus[step.from],
          toStatus: contractStatus[step.to],
          reason: step.reason,
          leadInstitutionId: action.institution ?? '',
          supportingInstitutionIds: [...supporting],
          version: action.version,
        },
      });
    }
    const assigned = steps.some((step) => step.command === 'assign');
    if ((from !== to && !assigned) || note !== null) {
      await this.outbox.append(manager, {
        case: 'actionProgressReported',
        aggregateId: action.id,
        payload: {
          actionId: action.id,
          ...(await leadInstitution(manager, action.institution)),
          previousStatus: contractStatus[from],
          status: contractStatus[to],
          note: note ?? steps.at(-1)?.reason ?? '',
          dueAt: action.dueAt ? timestampFromDate(action.dueAt) : undefined,
        },
      });
    }
    for (const recommendationId of await store.recommendations(action))
      await recomputeImplementationStatus(manager, this.outbox, recommendationId);
  }

  private async moveDueDate(
    manager: EntityManager,
    action: Action,
    dueAt: Date,
    reason: string,
  ): Promise<void> {
    if (!action.institution || !action.dueAt) {
      throw new DomainError('conflict', 'Assign the action before changing its due date');
    }
    if (action.dueAt.getTime() === dueAt.getTime()) return;
    assertDueDateAhead(dueAt);
    const previous = action.dueAt;
    action.dueAt = dueAt;
    action.version += 1;
    await manager.update(Action, { id: action.id }, { dueAt, version: action.version });
    await this.outbox.append(manager, {
      case: 'actionDueDateChanged',
      aggregateId: action.id,
      payload: {
        actionId: action.id,
        ...(await leadInstitution(manager, action.institution)),
        previousDueAt: timestampFromDate(previous),
        dueAt: timestampFromDate(dueAt),
        reason,
      },
    });
  }
}

/** The lead institution as events carry it: its English name, for display, and its id. */
async function leadInstitution(
  manager: EntityManager,
  id: string | null,
): Promise<{ institution: string; institutionId: string }> {
  if (id === null) return { institution: '', institutionId: '' };
  const lead = await new InstitutionRepository(manager).find(id);
  return { institution: lead?.nameEn ?? id, institutionId: id };
}

/** The secretariat sees every action; anyone else those of the institutions they act for. */
function sees(caller: Principal, action: Action, supporting: readonly string[]): boolean {
  if (visibleInstitutions(caller) === undefined) return true;
  return [action.institution, ...supporting].some((id) => id !== null && actsFor(caller, id));
}

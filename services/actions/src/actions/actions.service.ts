import { Injectable } from '@nestjs/common';
import { ActionStatus as ContractStatus, timestampFromDate } from '@nmirf/contracts';
import {
  actsFor,
  currentContext,
  DomainError,
  EventOutbox,
  visibleInstitutions,
  type Principal,
} from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { InstitutionRepository } from '../institutions/institution.repository';
import { KnownRecommendation } from '../recommendations/known-recommendation.entity';
import { recomputeImplementationStatus } from '../rollup/recompute-implementation-status';
import { Action } from './action.entity';
import { sameId } from '../institutions/institution';
import { assertTransition, StatusTransitionError, type ActionStatus } from './action-status';
import { assertDueDateAhead } from './due-date';
import { ProgressUpdate } from './progress-update.entity';

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

const contractStatus: Record<ActionStatus, ContractStatus> = {
  not_started: ContractStatus.NOT_STARTED,
  in_progress: ContractStatus.IN_PROGRESS,
  blocked: ContractStatus.BLOCKED,
  completed: ContractStatus.COMPLETED,
  cancelled: ContractStatus.CANCELLED,
};

/** Use cases of the action workflow. Each state change and its event commit together. */
@Injectable()
export class ActionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  async create(input: NewAction): Promise<Action> {
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
        status: 'not_started',
        institution: null,
        dueAt: null,
      });
      await manager.insert(Action, action);
      await this.outbox.append(manager, {
        case: 'actionCreated',
        aggregateId: action.id,
        payload: { actionId: action.id, recommendationId: action.recommendationId, title: action.title },
      });
      if (input.assignment) await this.applyAssignment(manager, action, input.assignment);
      await recomputeImplementationStatus(manager, this.outbox, action.recommendationId);
      return action;
    });
  }

  async assign(actionId: string, assignment: Assignment): Promise<Action> {
    return this.dataSource.transaction(async (manager) => {
      const action = await this.lock(manager, actionId);
      if (action.status === 'completed' || action.status === 'cancelled') {
        throw new DomainError('conflict', `A ${action.status} action cannot be reassigned`);
      }
      await this.applyAssignment(manager, action, assignment);
      return action;
    });
  }

  async changeDueDate(actionId: string, dueAt: Date, reason: string): Promise<Action> {
    return this.dataSource.transaction(async (manager) => {
      const action = await this.lock(manager, actionId);
      if (!action.institution || !action.dueAt) {
        throw new DomainError('conflict', 'Assign the action before changing its due date');
      }
      if (action.dueAt.getTime() === dueAt.getTime()) return action;
      assertDueDateAhead(dueAt);
      const previous = action.dueAt;
      action.dueAt = dueAt;
      await manager.update(Action, { id: action.id }, { dueAt });
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
      return action;
    });
  }

  /** `caller` undefined: a trusted internal call; otherwise only the action's own institution may report. */
  async reportProgress(
    actionId: string,
    status: ActionStatus,
    note: string,
    caller?: Principal,
  ): Promise<ProgressUpdate> {
    return this.dataSource.transaction(async (manager) => {
      const action = await this.lock(manager, actionId);
      if (!visibleTo(action, caller)) throw DomainError.notFound('Action', actionId);
      try {
        assertTransition(action.status, status);
      } catch (error) {
        if (error instanceof StatusTransitionError) throw new DomainError('conflict', error.message);
        throw error;
      }
      const update = manager.create(ProgressUpdate, {
        id: randomUUID(),
        actionId,
        previousStatus: action.status,
        status,
        note,
        reportedBy: currentContext()?.actor?.id ?? 'anonymous',
      });
      await manager.insert(ProgressUpdate, update);
      await manager.update(Action, { id: actionId }, { status });
      await this.outbox.append(manager, {
        case: 'actionProgressReported',
        aggregateId: actionId,
        payload: {
          actionId,
          ...(await leadInstitution(manager, action.institution)),
          previousStatus: contractStatus[action.status],
          status: contractStatus[status],
          note,
          dueAt: action.dueAt ? timestampFromDate(action.dueAt) : undefined,
        },
      });
      await recomputeImplementationStatus(manager, this.outbox, action.recommendationId);
      return update;
    });
  }

  /** Another institution's action is "not found" to a focal point: its existence is not revealed. */
  async get(actionId: string, caller?: Principal): Promise<Action> {
    const action = await this.dataSource.manager.findOneBy(Action, { id: actionId });
    if (!action || !visibleTo(action, caller)) throw DomainError.notFound('Action', actionId);
    return action;
  }

  /** Institutions match as the token claim does: case-insensitively, resolved to directory ids. */
  async list(filter: ActionFilter, caller?: Principal): Promise<{ items: Action[]; total: number }> {
    const visible = caller ? visibleInstitutions(caller) : undefined;
    if (visible && filter.institution && !visible.some((own) => sameId(own, filter.institution as string)))
      return { items: [], total: 0 };
    const directory = new InstitutionRepository(this.dataSource.manager);
    const institutions = filter.institution
      ? await directory.canonicalIds([filter.institution])
      : visible && (await directory.canonicalIds(visible));
    if (institutions && institutions.length === 0) return { items: [], total: 0 };
    const where = {
      ...(institutions ? { institution: In(institutions) } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.recommendationId ? { recommendationId: filter.recommendationId } : {}),
    };
    const [items, total] = await this.dataSource.manager.findAndCount(Action, {
      where,
      order: { createdAt: 'ASC', id: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }

  async history(actionId: string, caller?: Principal): Promise<ProgressUpdate[]> {
    await this.get(actionId, caller);
    return this.dataSource.manager.find(ProgressUpdate, {
      where: { actionId },
      order: { reportedAt: 'ASC' },
    });
  }

  private async lock(manager: EntityManager, actionId: string): Promise<Action> {
    const action = await manager.findOne(Action, {
      where: { id: actionId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!action) throw DomainError.notFound('Action', actionId);
    return action;
  }

  private async applyAssignment(
    manager: EntityManager,
    action: Action,
    assignment: Assignment,
  ): Promise<void> {
    assertDueDateAhead(assignment.dueAt);
    const lead = await new InstitutionRepository(manager).find(assignment.institution);
    if (!lead)
      throw new DomainError(
        'unprocessable',
        `Institution ${assignment.institution} is not in the directory (GET /institutions lists it)`,
      );
    if (!lead.active) throw new DomainError('unprocessable', `Institution ${lead.id} is inactive`);
    const previous = await leadInstitution(manager, action.institution);
    action.institution = lead.id;
    action.dueAt = assignment.dueAt;
    await manager.update(Action, { id: action.id }, { institution: lead.id, dueAt: assignment.dueAt });
    await this.outbox.append(manager, {
      case: 'actionAssigned',
      aggregateId: action.id,
      payload: {
        actionId: action.id,
        recommendationId: action.recommendationId,
        title: action.title,
        institution: lead.nameEn,
        institutionId: lead.id,
        dueAt: timestampFromDate(assignment.dueAt),
        previousInstitution: previous.institution,
        previousInstitutionId: previous.institutionId,
        status: contractStatus[action.status],
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

/** The token's institutions claim against the lead institution's id. */
function visibleTo(action: Action, caller: Principal | undefined): boolean {
  if (!caller) return true;
  const visible = visibleInstitutions(caller);
  return visible === undefined || (action.institution !== null && actsFor(caller, action.institution));
}

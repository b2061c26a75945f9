import { Injectable, PreconditionFailedException } from '@nestjs/common';
import { DomainError, EventOutbox, hasRole, visibleInstitutions, type Principal } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { isoDate } from '../actions/action-details';
import { Action } from '../actions/action.entity';
import type { Precondition } from '../actions/actions.service';
import { InstitutionRepository } from '../institutions/institution.repository';
import { Plan } from './plan.entity';
import type { PlanKind } from './plan';

export interface PlanContent {
  state: string;
  title: string;
  kind: PlanKind;
  periodStart: Date;
  periodEnd: Date;
  description?: string;
  published?: boolean;
}

/** A plan's action as the plan lists it. */
export interface PlannedAction {
  id: string;
  title: string;
  status: string;
  institution: string | null;
  dueAt: Date | null;
}

/** Plans: the coordinator writes them; anonymous readers see published ones only. Each write publishes PlanChanged. */
@Injectable()
export class PlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  async create(content: PlanContent): Promise<Plan> {
    return this.dataSource.transaction(async (manager) => {
      const plan = manager.create(Plan, { id: randomUUID(), ...fields(content), version: 1 });
      await manager.insert(Plan, plan);
      await this.publishChange(manager, plan, false);
      return plan;
    });
  }

  async update(id: string, content: PlanContent, precondition: Precondition): Promise<Plan> {
    return this.dataSource.transaction(async (manager) => {
      const plan = await this.lock(manager, id);
      if (!precondition(plan.version))
        throw new PreconditionFailedException(
          `The plan has changed since it was read (its ETag is now "${plan.version}")`,
        );
      Object.assign(plan, fields(content), { version: plan.version + 1 });
      await manager.save(Plan, plan);
      await this.publishChange(manager, plan, false);
      return plan;
    });
  }

  /** Its actions leave the plan; they stay. */
  async remove(id: string, precondition: Precondition): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const plan = await this.lock(manager, id);
      if (!precondition(plan.version))
        throw new PreconditionFailedException(
          `The plan has changed since it was read (its ETag is now "${plan.version}")`,
        );
      await manager.update(Action, { planId: id }, { planId: null });
      await manager.delete(Plan, { id });
      await this.publishChange(manager, plan, true);
    });
  }

  async list(
    filter: { state?: string; limit: number; offset: number },
    caller?: Principal,
  ): Promise<{ items: Plan[]; total: number }> {
    const [items, total] = await this.dataSource.manager.findAndCount(Plan, {
      where: { ...(filter.state ? { state: filter.state } : {}), ...(caller ? {} : { published: true }) },
      order: { periodStart: 'DESC', id: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }

  /**
   * The plan and its actions. Unpublished plans are 404 to anonymous readers. The secretariat, and
   * anyone reading a published plan, sees every action; otherwise only one's own institutions'.
   */
  async get(id: string, caller?: Principal): Promise<Plan & { actions: PlannedAction[] }> {
    const plan = await this.dataSource.manager.findOneBy(Plan, { id });
    if (!plan || (!caller && !plan.published)) throw DomainError.notFound('Plan', id);
    const everything = plan.published || hasRole(caller, 'coordinator', 'admin');
    const own = everything ? undefined : visibleInstitutions(caller);
    const institutions = own && (await new InstitutionRepository(this.dataSource.manager).canonicalIds(own));
    const query = this.dataSource.manager
      .createQueryBuilder(Action, 'action')
      .where('action.planId = :id', { id })
      .orderBy('action.createdAt', 'ASC')
      .addOrderBy('action.id', 'ASC');
    if (institutions)
      query.andWhere(
        `(action.institution IN (:...institutions) OR EXISTS (SELECT 1 FROM action_supporting_institutions s
           WHERE s.action_id = action.id AND s.institution_id IN (:...institutions)))`,
        { institutions: institutions.length > 0 ? institutions : [''] },
      );
    const actions = (await query.getMany()).map(({ id, title, status, institution, dueAt }) => ({
      id,
      title,
      status,
      institution,
      dueAt,
    }));
    return Object.assign(plan, { actions });
  }

  /** Removal keeps the actions' rows as they are: consumers take `deleted` to mean they left the plan. */
  private async publishChange(manager: EntityManager, plan: Plan, deleted: boolean): Promise<void> {
    await this.outbox.append(manager, {
      case: 'planChanged',
      aggregateId: plan.id,
      payload: {
        planId: plan.id,
        state: plan.state,
        title: plan.title,
        kind: plan.kind,
        periodStart: plan.periodStart,
        periodEnd: plan.periodEnd,
        published: plan.published,
        version: plan.version,
        deleted,
      },
    });
  }

  private async lock(manager: EntityManager, id: string): Promise<Plan> {
    const plan = await manager.findOne(Plan, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!plan) throw DomainError.notFound('Plan', id);
    return plan;
  }
}

function fields(content: PlanContent) {
  if (content.periodEnd.getTime() < content.periodStart.getTime())
    throw new DomainError('unprocessable', 'periodEnd must not be before periodStart');
  return {
    state: content.state,
    title: content.title,
    kind: content.kind,
    periodStart: isoDate(content.periodStart),
    periodEnd: isoDate(content.periodEnd),
    description: content.description ?? '',
    published: content.published ?? false,
  };
}

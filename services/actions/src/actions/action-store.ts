import { DomainError } from '@nmirf/platform';
import type { EntityManager } from 'typeorm';
import { ActionRecommendation, ActionSupportingInstitution } from './action-links.entity';
import { Action } from './action.entity';

/** The action's rows, bound to one transaction. */
export class ActionStore {
  constructor(private readonly manager: EntityManager) {}

  /** Locks the action until the transaction ends: commands on it run one after the other. */
  async lock(actionId: string): Promise<Action> {
    const action = await this.manager.findOne(Action, {
      where: { id: actionId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!action) throw DomainError.notFound('Action', actionId);
    return action;
  }

  async supporting(actionId: string): Promise<string[]> {
    const rows = await this.manager.find(ActionSupportingInstitution, {
      where: { actionId },
      order: { institutionId: 'ASC' },
    });
    return rows.map((row) => row.institutionId);
  }

  async setSupporting(actionId: string, institutionIds: readonly string[]): Promise<void> {
    await this.manager.delete(ActionSupportingInstitution, { actionId });
    if (institutionIds.length > 0)
      await this.manager.insert(
        ActionSupportingInstitution,
        institutionIds.map((institutionId) => ({ actionId, institutionId })),
      );
  }

  /** The recommendations the action serves, the primary one first. */
  async recommendations(action: Action): Promise<string[]> {
    const rows = await this.manager.find(ActionRecommendation, { where: { actionId: action.id } });
    const others = rows.map((row) => row.recommendationId).filter((id) => id !== action.recommendationId);
    return [action.recommendationId, ...others.sort()];
  }

  async addRecommendations(actionId: string, recommendationIds: readonly string[]): Promise<void> {
    if (recommendationIds.length === 0) return;
    await this.manager
      .createQueryBuilder()
      .insert()
      .into(ActionRecommendation)
      .values(recommendationIds.map((recommendationId) => ({ actionId, recommendationId })))
      .orIgnore()
      .execute();
  }

  async replaceRecommendations(actionId: string, recommendationIds: readonly string[]): Promise<void> {
    await this.manager.delete(ActionRecommendation, { actionId });
    await this.addRecommendations(actionId, recommendationIds);
  }
}

import type { EntityManager } from 'typeorm';
import type {
  DerivedImplementationStatus,
  ImplementationStatus,
  RollupActionStatus,
} from './implementation-status';
import {
  ImplementationOverride,
  ImplementationOverrideHistory,
  type OverrideChange,
} from './implementation-override.entity';
import { ImplementationStatusRecord } from './implementation-status.entity';

export interface RecordedImplementationStatus {
  derived: DerivedImplementationStatus;
  effective: ImplementationStatus;
}

export interface OverrideDecision {
  status: ImplementationStatus;
  justification: string;
  actor: string;
}

/** What the roll-up reads and writes, bound to one transaction. */
export interface ImplementationStore {
  /**
   * Locks the recommendation until the transaction ends, so two changes to its actions are rolled up
   * one after the other, the second seeing the first. False when this service does not know it.
   */
  lockRecommendation(recommendationId: string): Promise<boolean>;
  /** The statuses of its actions; one the rule does not know makes the roll-up throw. */
  actionStatuses(recommendationId: string): Promise<RollupActionStatus[]>;
  override(recommendationId: string): Promise<ImplementationOverride | null>;
  recorded(recommendationId: string): Promise<RecordedImplementationStatus | null>;
  record(recommendationId: string, status: RecordedImplementationStatus): Promise<void>;
}

export class ImplementationRepository implements ImplementationStore {
  constructor(private readonly manager: EntityManager) {}

  async lockRecommendation(recommendationId: string): Promise<boolean> {
    const rows = await this.manager.query(`SELECT 1 FROM known_recommendations WHERE id = $1 FOR UPDATE`, [
      recommendationId,
    ]);
    return rows.length > 0;
  }

  /**
   * The statuses of the recommendation's actions, cancelled ones included: every action serving it
   * (action_recommendations), not only those for which it is the primary one.
   */
  async actionStatuses(recommendationId: string): Promise<RollupActionStatus[]> {
    const rows: Array<{ status: RollupActionStatus }> = await this.manager.query(
      `SELECT a.status FROM actions a JOIN action_recommendations r ON r.action_id = a.id
        WHERE r.recommendation_id = $1`,
      [recommendationId],
    );
    return rows.map((row) => row.status);
  }

  override(recommendationId: string): Promise<ImplementationOverride | null> {
    return this.manager.findOneBy(ImplementationOverride, { recommendationId });
  }

  recorded(recommendationId: string): Promise<RecordedImplementationStatus | null> {
    return this.manager.findOne(ImplementationStatusRecord, {
      where: { recommendationId },
      select: { derived: true, effective: true },
    });
  }

  async record(recommendationId: string, status: RecordedImplementationStatus): Promise<void> {
    await this.manager.query(
      `INSERT INTO implementation_status (recommendation_id, derived, effective) VALUES ($1, $2, $3)
       ON CONFLICT (recommendation_id) DO UPDATE
         SET derived = EXCLUDED.derived, effective = EXCLUDED.effective, updated_at = now()`,
      [recommendationId, status.derived, status.effective],
    );
  }

  /** Puts the override in force and keeps it in the history. */
  async setOverride(recommendationId: string, decision: OverrideDecision): Promise<void> {
    await this.manager.query(
      `INSERT INTO implementation_overrides (recommendation_id, status, justification, actor, decided_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (recommendation_id) DO UPDATE SET status = EXCLUDED.status,
         justification = EXCLUDED.justification, actor = EXCLUDED.actor, decided_at = EXCLUDED.decided_at`,
      [recommendationId, decision.status, decision.justification, decision.actor],
    );
    await this.remember(recommendationId, 'set', decision);
  }

  /** Lifts the override; the history keeps it, and why it was lifted. */
  async removeOverride(recommendationId: string, decision: OverrideDecision): Promise<void> {
    await this.manager.delete(ImplementationOverride, { recommendationId });
    await this.remember(recommendationId, 'removed', decision);
  }

  history(recommendationId: string): Promise<ImplementationOverrideHistory[]> {
    return this.manager.find(ImplementationOverrideHistory, {
      where: { recommendationId },
      order: { id: 'ASC' },
    });
  }

  private async remember(
    recommendationId: string,
    change: OverrideChange,
    decision: OverrideDecision,
  ): Promise<void> {
    await this.manager.insert(ImplementationOverrideHistory, {
      recommendationId,
      change,
      status: decision.status,
      justification: decision.justification,
      actor: decision.actor,
    });
  }
}

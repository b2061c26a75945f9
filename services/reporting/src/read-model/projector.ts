import { Injectable } from '@nestjs/common';
import {
  occurredAt,
  RecommendationPosition,
  timestampDate,
  type EventEnvelope,
  type PayloadOf,
  type Timestamp,
} from '@nmirf/contracts';
import { PermanentEventError, requireEventDate } from '@nmirf/platform';
import type { EntityManager } from 'typeorm';
import { statusFromContract } from './action-status';
import { implementationStatusFromContract } from './implementation-status';

/**
 * An event about an action the view has never seen and cannot create from the event alone (it lacks
 * the recommendation and title). Throwing lets the consumer retry, which covers a reminder that
 * overtook its action on another topic during a replay, and then dead-letter it so the gap is visible.
 */
export class UnknownActionError extends Error {
  constructor(
    readonly actionId: string,
    eventType: string,
  ) {
    super(`${eventType} for action ${actionId}, which the read model does not know yet`);
  }
}

const positions: Record<RecommendationPosition, string> = {
  [RecommendationPosition.UNSPECIFIED]: 'unspecified',
  [RecommendationPosition.SUPPORTED]: 'supported',
  [RecommendationPosition.NOTED]: 'noted',
  [RecommendationPosition.SUPPORTED_IN_PART]: 'supported_in_part',
  [RecommendationPosition.PENDING]: 'pending',
};

/** An impossible due date is dead-lettered at once rather than counted as overdue (or never). */
const dueDateOrNull = (timestamp: Timestamp | undefined): Date | null =>
  timestamp ? requireEventDate(timestampDate(timestamp), 'due_at') : null;

/**
 * Keeps recommendation_view and action_view up to date. It writes with the caller's manager, i.e. in
 * the transaction that records the event in the inbox, so each event counts once.
 */
@Injectable()
export class ReadModelProjector {
  async apply(manager: EntityManager, envelope: EventEnvelope): Promise<void> {
    const at = occurredAt(envelope);
    const { payload } = envelope;
    switch (payload.case) {
      case 'recommendationCreated':
      case 'recommendationUpdated':
        return this.recommendationChanged(manager, payload.value);
      case 'actionCreated':
        return this.actionCreated(manager, payload.value, at);
      case 'actionAssigned':
        return this.actionAssigned(manager, payload.value, at);
      case 'actionDueDateChanged':
        return this.actionDueDateChanged(manager, payload.value, at);
      case 'actionProgressReported':
        return this.actionProgressReported(manager, payload.value, at);
      case 'deadlineReminderSent':
        return this.deadlineReminderSent(manager, payload.value, at);
      case 'recommendationImplementationStatusChanged':
        return this.implementationStatusChanged(manager, payload.value);
      default:
        return; // not part of the read model
    }
  }

  /** Both events carry the whole recommendation, so either one upserts the row. */
  async recommendationChanged(
    manager: EntityManager,
    event: PayloadOf<'recommendationCreated'> | PayloadOf<'recommendationUpdated'>,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO recommendation_view (id, mechanism, document_symbol, paragraph, position, recommending_states)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET mechanism = EXCLUDED.mechanism, document_symbol = EXCLUDED.document_symbol,
         paragraph = EXCLUDED.paragraph, position = EXCLUDED.position, recommending_states = EXCLUDED.recommending_states`,
      [
        event.recommendationId,
        event.mechanism,
        event.documentSymbol,
        event.paragraph,
        positions[event.position] ?? 'unspecified',
        event.recommendingStates,
      ],
    );
  }

  /**
   * Upserts: on another topic, the status can overtake RecommendationCreated, which then fills in the
   * rest of the row without touching the status.
   */
  async implementationStatusChanged(
    manager: EntityManager,
    event: PayloadOf<'recommendationImplementationStatusChanged'>,
  ): Promise<void> {
    const status = implementationStatusFromContract(event.status);
    if (!status) throw new PermanentEventError(`status ${event.status} is not an implementation status`);
    await manager.query(
      `INSERT INTO recommendation_view (id, mechanism, document_symbol, paragraph, position, recommending_states,
                                        implementation_status)
       VALUES ($1, '', '', '', 'unspecified', '{}', $2)
       ON CONFLICT (id) DO UPDATE SET implementation_status = EXCLUDED.implementation_status`,
      [event.recommendationId, status],
    );
  }

  async actionCreated(manager: EntityManager, event: PayloadOf<'actionCreated'>, at: Date): Promise<void> {
    // A row may already exist if ActionAssigned got here first: fill in, never reset its state.
    await manager.query(
      `INSERT INTO action_view (action_id, recommendation_id, title, status, created_at, updated_at)
       VALUES ($1, $2, $3, 'not_started', $4, $4)
       ON CONFLICT (action_id) DO UPDATE SET recommendation_id = EXCLUDED.recommendation_id, title = EXCLUDED.title,
         created_at = LEAST(action_view.created_at, EXCLUDED.created_at),
         updated_at = GREATEST(action_view.updated_at, EXCLUDED.updated_at)`,
      [event.actionId, event.recommendationId, event.title, at],
    );
  }

  /** Carries everything a row needs, so it creates the row when ActionCreated was never seen. */
  async actionAssigned(manager: EntityManager, event: PayloadOf<'actionAssigned'>, at: Date): Promise<void> {
    const status = statusFromContract(event.status) ?? null;
    await manager.query(
      `INSERT INTO action_view (action_id, recommendation_id, title, institution, due_at, status, created_at, completed_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, COALESCE($6::text, 'not_started'), $7,
               CASE WHEN $6::text = 'completed' THEN $7::timestamptz END, $7)
       ON CONFLICT (action_id) DO UPDATE SET recommendation_id = EXCLUDED.recommendation_id, title = EXCLUDED.title,
         institution = EXCLUDED.institution, due_at = EXCLUDED.due_at,
         status = COALESCE($6::text, action_view.status),
         completed_at = CASE WHEN COALESCE($6::text, action_view.status) = 'completed'
                             THEN COALESCE(action_view.completed_at, $7::timestamptz) END,
         updated_at = GREATEST(action_view.updated_at, EXCLUDED.updated_at)`,
      [
        event.actionId,
        event.recommendationId,
        event.title,
        event.institution || null,
        dueDateOrNull(event.dueAt),
        status,
        at,
      ],
    );
  }

  async actionDueDateChanged(
    manager: EntityManager,
    event: PayloadOf<'actionDueDateChanged'>,
    at: Date,
  ): Promise<void> {
    await this.updateAction(manager, 'ActionDueDateChanged', event.actionId, at, 'due_at = $3', [
      dueDateOrNull(event.dueAt),
    ]);
  }

  async actionProgressReported(
    manager: EntityManager,
    event: PayloadOf<'actionProgressReported'>,
    at: Date,
  ): Promise<void> {
    const status = statusFromContract(event.status);
    if (!status) return; // a progress note without a status we understand changes nothing here
    // completed_at keeps the first completion; reopening clears it.
    await this.updateAction(
      manager,
      'ActionProgressReported',
      event.actionId,
      at,
      `status = $3, completed_at = CASE WHEN $3 = 'completed' THEN COALESCE(completed_at, $2) END`,
      [status],
    );
  }

  async deadlineReminderSent(
    manager: EntityManager,
    event: PayloadOf<'deadlineReminderSent'>,
    at: Date,
  ): Promise<void> {
    await this.updateAction(
      manager,
      'DeadlineReminderSent',
      event.actionId,
      at,
      'reminders_sent = reminders_sent + 1',
      [],
    );
  }

  /** `$1` is the action id, `$2` the event time, `$3…` the extra values. */
  private async updateAction(
    manager: EntityManager,
    eventType: string,
    actionId: string,
    at: Date,
    assignments: string,
    values: unknown[],
  ): Promise<void> {
    // The CTE turns the UPDATE into a SELECT, whose result TypeORM returns as plain rows.
    const [{ updated }] = await manager.query(
      `WITH changed AS (
         UPDATE action_view SET ${assignments}, updated_at = GREATEST(updated_at, $2::timestamptz)
          WHERE action_id = $1 RETURNING 1)
       SELECT count(*)::int AS updated FROM changed`,
      [actionId, at, ...values],
    );
    if (updated === 0) throw new UnknownActionError(actionId, eventType);
  }
}

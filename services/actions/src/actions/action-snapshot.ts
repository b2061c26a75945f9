import { timestampFromDate } from '@nmirf/contracts';
import type { EventOutbox } from '@nmirf/platform';
import type { EntityManager } from 'typeorm';
import { announceReassignedIndicators } from '../indicators/indicator-announcements';
import type { Milestone } from './action-details';
import type { ActionStatus } from './action-status';
import { contractStatus } from './contract-status';

interface ActionRow {
  id: string;
  plan_id: string | null;
  title: string;
  description: string;
  lead_institution_id: string | null;
  recommendation_id: string;
  sdg_targets: string[];
  start_date: string | null;
  due_at: Date | null;
  milestones: Milestone[];
  budget_line: string | null;
  status: ActionStatus;
  version: number;
  created_at: Date;
  supporting: string[];
  recommendations: string[];
}

/**
 * Appends ActionChanged, the whole action as the transaction leaves it, after the write's other
 * events. Read from the rows rather than from the caller's object, so no write path can send a stale
 * snapshot. Every write of an action calls it once, last.
 */
export async function appendActionSnapshot(
  manager: EntityManager,
  outbox: EventOutbox,
  actionId: string,
): Promise<void> {
  const [row]: ActionRow[] = await manager.query(
    `SELECT a.id, a.plan_id, a.title, a.description, a.lead_institution_id, a.recommendation_id,
            a.sdg_targets, to_char(a.start_date, 'YYYY-MM-DD') AS start_date, a.due_at, a.milestones,
            a.budget_line, a.status, a.version, a.created_at,
            ARRAY(SELECT s.institution_id FROM action_supporting_institutions s
                   WHERE s.action_id = a.id ORDER BY s.institution_id) AS supporting,
            ARRAY(SELECT r.recommendation_id::text FROM action_recommendations r
                   WHERE r.action_id = a.id AND r.recommendation_id <> a.recommendation_id
                   ORDER BY r.recommendation_id) AS recommendations
       FROM actions a WHERE a.id = $1`,
    [actionId],
  );
  if (!row) return;
  await outbox.append(manager, {
    case: 'actionChanged',
    aggregateId: row.id,
    payload: {
      actionId: row.id,
      planId: row.plan_id ?? '',
      title: row.title,
      description: row.description,
      leadInstitutionId: row.lead_institution_id ?? '',
      supportingInstitutionIds: row.supporting,
      recommendationIds: [row.recommendation_id, ...row.recommendations],
      sdgTargets: row.sdg_targets,
      startDate: row.start_date ?? '',
      dueAt: row.due_at ? timestampFromDate(row.due_at) : undefined,
      milestones: row.milestones.map(({ title, dueDate, done }) => ({
        $typeName: 'nmirf.events.v1.ActionMilestone' as const,
        title,
        dueDate,
        done,
      })),
      budgetLine: row.budget_line ?? '',
      status: contractStatus[row.status],
      version: row.version,
      createdAt: timestampFromDate(row.created_at),
    },
  });
  // Its indicators' reporting institutions may have changed with it (IndicatorScheduled).
  await announceReassignedIndicators(manager, outbox, row.id);
}

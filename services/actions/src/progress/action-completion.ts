import { ActionStatus as ContractStatus, timestampFromDate } from '@nmirf/contracts';
import type { EventOutbox } from '@nmirf/platform';
import { appendActionSnapshot } from '../actions/action-snapshot';
import { recomputeImplementationStatus } from '../rollup/recompute-implementation-status';
import type { ProgressReportRepository } from './progress-report.repository';
import type { ActionFacts } from './progress-report';

/**
 * The coordinator accepted the lead's final report, and the workflow completes the action: the same
 * record the action's own commands leave, in the report's transaction. A new version, an
 * ActionTransitioned (command `acceptReport`), an ActionProgressReported for the consumers that
 * follow statuses (deadlines, counts), and the roll-up of the recommendations the action serves.
 */
export async function completeActionByReport(
  repository: ProgressReportRepository,
  outbox: EventOutbox,
  action: ActionFacts,
): Promise<void> {
  const manager = repository.manager;
  // An UPDATE answers [rows, affected count] through TypeORM's PostgreSQL driver.
  const [[row]]: [Array<{ version: number; due_at: Date | null; recommendation_id: string }>, number] =
    await manager.query(
      `UPDATE actions SET status = 'completed', version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING version, due_at, recommendation_id`,
      [action.id],
    );
  const [lead]: Array<{ name_en: string }> = action.lead
    ? await manager.query(`SELECT name_en FROM institutions WHERE id = $1`, [action.lead])
    : [];
  await outbox.append(
    manager,
    {
      case: 'actionTransitioned',
      aggregateId: action.id,
      payload: {
        actionId: action.id,
        command: 'acceptReport',
        fromStatus: ContractStatus.IN_PROGRESS,
        toStatus: ContractStatus.COMPLETED,
        reason: '',
        leadInstitutionId: action.lead ?? '',
        supportingInstitutionIds: [...action.supporting],
        version: row.version,
      },
    },
    {
      case: 'actionProgressReported',
      aggregateId: action.id,
      payload: {
        actionId: action.id,
        institution: lead?.name_en ?? action.lead ?? '',
        institutionId: action.lead ?? '',
        previousStatus: ContractStatus.IN_PROGRESS,
        status: ContractStatus.COMPLETED,
        // No note: the step is told by ActionTransitioned's command; text for people is the clients' to translate.
        note: '',
        dueAt: row.due_at ? timestampFromDate(row.due_at) : undefined,
      },
    },
  );
  const served: Array<{ recommendation_id: string }> = await manager.query(
    `SELECT recommendation_id FROM action_recommendations WHERE action_id = $1
     UNION SELECT $2::uuid ORDER BY 1`,
    [action.id, row.recommendation_id],
  );
  for (const { recommendation_id } of served)
    await recomputeImplementationStatus(manager, outbox, recommendation_id);
  await appendActionSnapshot(manager, outbox, action.id);
}

import { Injectable } from '@nestjs/common';
import {
  AssessmentAuthorKind,
  occurredAt,
  RecommendationPosition,
  timestampDate,
  type EventEnvelope,
  type PayloadOf,
  type Timestamp,
} from '@nmirf/contracts';
import { PermanentEventError, requireEventDate } from '@nmirf/platform';
import type { EntityManager } from 'typeorm';
import { statusFromContract, workflowStatusFromContract } from './action-status';
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

const AUTHOR_KINDS: Record<AssessmentAuthorKind, string> = {
  [AssessmentAuthorKind.UNSPECIFIED]: 'unspecified',
  [AssessmentAuthorKind.NHRI]: 'nhri',
  [AssessmentAuthorKind.CIVIL_SOCIETY]: 'civil_society',
};

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
        return this.recommendationChanged(manager, payload.value, at);
      case 'clusterChanged':
        return this.clusterChanged(manager, payload.value, at);
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
      case 'actionEscalated':
        return this.actionEscalated(manager, payload.value, at);
      case 'recommendationImplementationStatusChanged':
        return this.implementationStatusChanged(manager, payload.value, at);
      case 'actionChanged':
        return this.actionChanged(manager, payload.value, at);
      case 'planChanged':
        return this.planChanged(manager, payload.value);
      case 'progressReportTransitioned':
        return this.progressReportTransitioned(manager, payload.value, at);
      case 'indicatorScheduled':
        return this.indicatorScheduled(manager, payload.value, at);
      case 'assessmentPublished':
        return this.assessmentPublished(manager, payload.value, at);
      case 'assessmentUnpublished':
        return this.assessmentUnpublished(manager, payload.value);
      default:
        return; // not part of the read model
    }
  }

  /** Both events carry the whole recommendation, so either one upserts the row. */
  async recommendationChanged(
    manager: EntityManager,
    event: PayloadOf<'recommendationCreated'> | PayloadOf<'recommendationUpdated'>,
    at: Date,
  ): Promise<void> {
    const [upserted]: Array<{ inserted: boolean }> = await manager.query(
      `INSERT INTO recommendation_view (id, mechanism, document_symbol, paragraph, position, recommending_states,
                                        text, mechanism_kind, state_under_review, upr_cycle, upr_session, themes,
                                        sdg_targets, annotation_id, version, published)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (id) DO UPDATE SET mechanism = EXCLUDED.mechanism, document_symbol = EXCLUDED.document_symbol,
         paragraph = EXCLUDED.paragraph, position = EXCLUDED.position, recommending_states = EXCLUDED.recommending_states,
         text = EXCLUDED.text, mechanism_kind = EXCLUDED.mechanism_kind,
         state_under_review = EXCLUDED.state_under_review, upr_cycle = EXCLUDED.upr_cycle,
         upr_session = EXCLUDED.upr_session, themes = EXCLUDED.themes, sdg_targets = EXCLUDED.sdg_targets,
         annotation_id = EXCLUDED.annotation_id, version = EXCLUDED.version, published = EXCLUDED.published
       RETURNING (xmax = 0) AS inserted`,
      [
        event.recommendationId,
        event.mechanism,
        event.documentSymbol,
        event.paragraph,
        positions[event.position] ?? 'unspecified',
        event.recommendingStates,
        event.text,
        event.mechanismKind,
        event.stateUnderReview,
        event.uprCycle,
        event.uprSession,
        [...new Set(event.themes)],
        [...new Set(event.sdgTargets)],
        event.annotationId,
        event.version,
        // The coordinator's publication: what the public dashboards count.
        event.published ?? false,
      ],
    );
    // A cluster's event may have come first: the row takes the clusters it already belongs to.
    if (upserted?.inserted) await this.copyClusters(manager, [event.recommendationId]);
    // The series counts a recommendation as not started from when it arrives.
    if (upserted?.inserted)
      await manager.query(
        `INSERT INTO implementation_status_history (recommendation_id, status, previous_status, changed_at)
         VALUES ($1, 'not_started', NULL, $2)`,
        [event.recommendationId, at],
      );
  }

  /** A cluster's name and its members' changes; the members' rows take its id in `clusters`. */
  async clusterChanged(manager: EntityManager, event: PayloadOf<'clusterChanged'>, at: Date): Promise<void> {
    if (event.deleted) {
      // The CTE turns the DELETE into a SELECT, whose result TypeORM returns as plain rows.
      const members: Array<{ recommendation_id: string }> = await manager.query(
        `WITH gone AS (DELETE FROM cluster_member_view WHERE cluster_id = $1 RETURNING recommendation_id)
         SELECT recommendation_id FROM gone`,
        [event.clusterId],
      );
      await manager.query(`DELETE FROM cluster_view WHERE cluster_id = $1`, [event.clusterId]);
      return this.copyClusters(
        manager,
        members.map((member) => member.recommendation_id),
      );
    }
    await manager.query(
      `INSERT INTO cluster_view (cluster_id, name, basis, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (cluster_id) DO UPDATE SET name = EXCLUDED.name, basis = EXCLUDED.basis,
         updated_at = GREATEST(cluster_view.updated_at, EXCLUDED.updated_at)`,
      [event.clusterId, event.name, event.basis, at],
    );
    await manager.query(
      `INSERT INTO cluster_member_view (cluster_id, recommendation_id)
       SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [event.clusterId, event.addedRecommendationIds],
    );
    await manager.query(
      `DELETE FROM cluster_member_view WHERE cluster_id = $1 AND recommendation_id = ANY ($2::uuid[])`,
      [event.clusterId, event.removedRecommendationIds],
    );
    await this.copyClusters(manager, [...event.addedRecommendationIds, ...event.removedRecommendationIds]);
  }

  /** recommendation_view.clusters from the memberships, written only where it changes (the counters follow). */
  private async copyClusters(manager: EntityManager, recommendationIds: readonly string[]): Promise<void> {
    if (recommendationIds.length === 0) return;
    await manager.query(
      `UPDATE recommendation_view r SET clusters = m.clusters
         FROM (SELECT w.id, coalesce(array_agg(c.cluster_id::text ORDER BY c.cluster_id)
                                       FILTER (WHERE c.cluster_id IS NOT NULL), '{}') AS clusters
                 FROM (SELECT DISTINCT unnest($1::uuid[]) AS id) w
                 LEFT JOIN cluster_member_view c ON c.recommendation_id = w.id
                GROUP BY w.id) m
        WHERE r.id = m.id AND r.clusters IS DISTINCT FROM m.clusters`,
      [recommendationIds],
    );
  }

  /**
   * Upserts: on another topic, the status can overtake RecommendationCreated, which then fills in the
   * rest of the row without touching the status. Each change is kept in the history, whose trigger
   * keeps the monthly series.
   */
  async implementationStatusChanged(
    manager: EntityManager,
    event: PayloadOf<'recommendationImplementationStatusChanged'>,
    at: Date,
  ): Promise<void> {
    const status = implementationStatusFromContract(event.status);
    if (!status) throw new PermanentEventError(`status ${event.status} is not an implementation status`);
    const [before]: Array<{ status: string }> = await manager.query(
      `SELECT implementation_status AS status FROM recommendation_view WHERE id = $1 FOR UPDATE`,
      [event.recommendationId],
    );
    await manager.query(
      `INSERT INTO recommendation_view (id, mechanism, document_symbol, paragraph, position, recommending_states,
                                        implementation_status, implementation_status_at)
       VALUES ($1, '', '', '', 'unspecified', '{}', $2, $3)
       ON CONFLICT (id) DO UPDATE SET implementation_status = EXCLUDED.implementation_status,
         implementation_status_at = EXCLUDED.implementation_status_at`,
      [event.recommendationId, status, at],
    );
    // A recommendation counts as not started from the first time the series sees it.
    const previous = before?.status ?? null;
    if (previous === status) return;
    const history: Array<[string, string | null]> =
      previous === null && status !== 'not_started'
        ? [
            ['not_started', null],
            [status, 'not_started'],
          ]
        : [[status, previous]];
    for (const [next, prior] of history)
      await manager.query(
        `INSERT INTO implementation_status_history (recommendation_id, status, previous_status, changed_at)
         VALUES ($1, $2, $3, $4)`,
        [event.recommendationId, next, prior, at],
      );
  }

  /**
   * The whole action: upserts its row and replaces its institutions and recommendations. Creates the
   * row when the older events were never seen.
   */
  async actionChanged(manager: EntityManager, event: PayloadOf<'actionChanged'>, at: Date): Promise<void> {
    const status = statusFromContract(event.status) ?? 'not_started';
    const workflowStatus = workflowStatusFromContract(event.status) ?? null;
    const recommendations = [...new Set(event.recommendationIds)];
    if (recommendations.length === 0)
      throw new PermanentEventError(`ActionChanged ${event.actionId} serves no recommendation`);
    const supporting = [...new Set(event.supportingInstitutionIds)].filter(
      (id) => id !== event.leadInstitutionId,
    );
    const createdAt = event.createdAt ? timestampDate(event.createdAt) : at;
    await manager.query(
      `INSERT INTO action_view (action_id, recommendation_id, title, status, due_at, created_at, completed_at,
                                updated_at, lead_institution_id, supporting_institution_ids, recommendation_ids,
                                plan_id, workflow_status, start_date, sdg_targets, budget_line, milestones, version,
                                public)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $4 = 'completed' THEN $7::timestamptz END, $7, $8, $9, $10,
               $11, $12, $13, $14, $15, $16, $17,
               coalesce((SELECT published FROM plan_view WHERE id = $11), false))
       ON CONFLICT (action_id) DO UPDATE SET recommendation_id = EXCLUDED.recommendation_id,
         title = EXCLUDED.title, status = EXCLUDED.status, due_at = EXCLUDED.due_at,
         created_at = LEAST(action_view.created_at, EXCLUDED.created_at),
         completed_at = CASE WHEN EXCLUDED.status = 'completed' THEN coalesce(action_view.completed_at, $7) END,
         updated_at = GREATEST(action_view.updated_at, EXCLUDED.updated_at),
         lead_institution_id = EXCLUDED.lead_institution_id,
         supporting_institution_ids = EXCLUDED.supporting_institution_ids,
         recommendation_ids = EXCLUDED.recommendation_ids, plan_id = EXCLUDED.plan_id,
         workflow_status = EXCLUDED.workflow_status, start_date = EXCLUDED.start_date,
         sdg_targets = EXCLUDED.sdg_targets, budget_line = EXCLUDED.budget_line,
         milestones = EXCLUDED.milestones, version = EXCLUDED.version, public = EXCLUDED.public`,
      [
        event.actionId,
        recommendations[0],
        event.title,
        status,
        dueDateOrNull(event.dueAt),
        createdAt,
        at,
        event.leadInstitutionId || null,
        supporting,
        recommendations,
        event.planId || null,
        workflowStatus,
        event.startDate || null,
        [...new Set(event.sdgTargets)],
        event.budgetLine || null,
        JSON.stringify(event.milestones.map(({ title, dueDate, done }) => ({ title, dueDate, done }))),
        event.version,
      ],
    );
    await manager.query(`DELETE FROM action_recommendation_view WHERE action_id = $1`, [event.actionId]);
    await manager.query(
      `INSERT INTO action_recommendation_view (action_id, recommendation_id)
       SELECT $1, unnest($2::uuid[])`,
      [event.actionId, recommendations],
    );
    await this.replaceInstitutions(manager, event.actionId, event.leadInstitutionId || null, supporting);
  }

  /** Removal: the plan's actions leave it (and the public dashboard). */
  async planChanged(manager: EntityManager, event: PayloadOf<'planChanged'>): Promise<void> {
    if (event.deleted) {
      await manager.query(`DELETE FROM plan_view WHERE id = $1`, [event.planId]);
      await manager.query(`UPDATE action_view SET plan_id = NULL, public = false WHERE plan_id = $1`, [
        event.planId,
      ]);
      return;
    }
    await manager.query(
      `INSERT INTO plan_view (id, state, title, kind, period_start, period_end, published, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, title = EXCLUDED.title, kind = EXCLUDED.kind,
         period_start = EXCLUDED.period_start, period_end = EXCLUDED.period_end,
         published = EXCLUDED.published, version = EXCLUDED.version`,
      [
        event.planId,
        event.state,
        event.title,
        event.kind,
        event.periodStart || null,
        event.periodEnd || null,
        event.published,
        event.version,
      ],
    );
    await manager.query(`UPDATE action_view SET public = $2 WHERE plan_id = $1 AND public <> $2`, [
      event.planId,
      event.published,
    ]);
  }

  /**
   * Counted in the month of its first submission. The narrative and evidence come with every step
   * after the draft; `accepted_at` is when the coordinator accepted it, which makes it the report's
   * content in the compiled reports.
   */
  async progressReportTransitioned(
    manager: EntityManager,
    event: PayloadOf<'progressReportTransitioned'>,
    at: Date,
  ): Promise<void> {
    const files = (event.content?.files ?? []).map(({ sha256, name, mediaType, size }) => ({
      sha256,
      name,
      mediaType,
      size: Number(size),
    }));
    await manager.query(
      `INSERT INTO progress_report_view (report_id, action_id, institution_id, status, final, percentage,
                                         submitted_at, updated_at, version, narrative, files, accepted_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $4 = 'submitted' THEN $7::timestamptz END, $7, $8, $9, $10,
               CASE WHEN $4 = 'accepted_by_coordinator' THEN $7::timestamptz END)
       ON CONFLICT (report_id) DO UPDATE SET status = EXCLUDED.status, final = EXCLUDED.final,
         percentage = EXCLUDED.percentage, institution_id = EXCLUDED.institution_id,
         submitted_at = coalesce(progress_report_view.submitted_at, EXCLUDED.submitted_at),
         updated_at = GREATEST(progress_report_view.updated_at, EXCLUDED.updated_at),
         version = EXCLUDED.version, narrative = EXCLUDED.narrative, files = EXCLUDED.files,
         accepted_at = EXCLUDED.accepted_at`,
      [
        event.reportId,
        event.actionId,
        event.institutionId,
        event.status,
        event.final,
        event.percentage,
        at,
        event.version,
        event.content?.narrative ?? '',
        JSON.stringify(files),
      ],
    );
  }

  /**
   * The whole indicator with every measurement: upserts its row, the latest measurement (by day,
   * then by order reported) set apart for the reports.
   */
  async indicatorScheduled(
    manager: EntityManager,
    event: PayloadOf<'indicatorScheduled'>,
    at: Date,
  ): Promise<void> {
    if (event.subjectKind !== 'action' && event.subjectKind !== 'recommendation')
      throw new PermanentEventError(`indicator ${event.indicatorId} measures a ${event.subjectKind}`);
    const content = event.content;
    const measurements = (content?.measurements ?? []).map((measurement) => ({
      id: measurement.measurementId,
      value: measurement.value,
      measuredOn: measurement.measuredOn,
      progressReportId: measurement.progressReportId || null,
    }));
    const latest = measurements.reduce<(typeof measurements)[number] | null>(
      (last, measurement) => (!last || measurement.measuredOn >= last.measuredOn ? measurement : last),
      null,
    );
    await manager.query(
      `INSERT INTO indicator_view (indicator_id, subject_kind, subject_id, name, type, unit, frequency,
                                   baseline_value, baseline_on, target_value, target_on, sdg_indicator,
                                   measurements, latest_value, latest_measured_on, version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (indicator_id) DO UPDATE SET subject_kind = EXCLUDED.subject_kind,
         subject_id = EXCLUDED.subject_id, name = EXCLUDED.name, type = EXCLUDED.type, unit = EXCLUDED.unit,
         frequency = EXCLUDED.frequency, baseline_value = EXCLUDED.baseline_value,
         baseline_on = EXCLUDED.baseline_on, target_value = EXCLUDED.target_value,
         target_on = EXCLUDED.target_on, sdg_indicator = EXCLUDED.sdg_indicator,
         measurements = EXCLUDED.measurements, latest_value = EXCLUDED.latest_value,
         latest_measured_on = EXCLUDED.latest_measured_on, version = EXCLUDED.version,
         updated_at = GREATEST(indicator_view.updated_at, EXCLUDED.updated_at)`,
      [
        event.indicatorId,
        event.subjectKind,
        event.subjectId,
        event.name,
        content?.type ?? '',
        content?.unit ?? '',
        event.frequency,
        content?.baseline?.date ? content.baseline.value : null,
        content?.baseline?.date || null,
        content?.target?.date ? content.target.value : null,
        content?.target?.date || null,
        content?.sdgIndicator || null,
        JSON.stringify(measurements),
        latest?.value ?? null,
        latest?.measuredOn ?? null,
        content?.version ?? 0,
        at,
      ],
    );
  }

  /** A published assessment, whole after each edit; drafts never arrive. */
  async assessmentPublished(
    manager: EntityManager,
    event: PayloadOf<'assessmentPublished'>,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO assessment_view (assessment_id, recommendation_id, author_organisation_id, author_kind, status,
                                    narrative, links, files, published_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (assessment_id) DO UPDATE SET recommendation_id = EXCLUDED.recommendation_id,
         author_organisation_id = EXCLUDED.author_organisation_id, author_kind = EXCLUDED.author_kind,
         status = EXCLUDED.status, narrative = EXCLUDED.narrative, links = EXCLUDED.links, files = EXCLUDED.files,
         published_at = EXCLUDED.published_at, updated_at = EXCLUDED.updated_at, version = EXCLUDED.version`,
      [
        event.assessmentId,
        event.recommendationId,
        event.authorOrganisationId,
        AUTHOR_KINDS[event.authorKind] ?? 'unspecified',
        implementationStatusFromContract(event.status) ?? null,
        event.narrative,
        JSON.stringify(event.links.map(({ url, title }) => ({ url, title }))),
        JSON.stringify(
          event.files.map(({ sha256, name, mediaType, size }) => ({
            sha256,
            name,
            mediaType,
            size: Number(size),
          })),
        ),
        event.publishedAt ? timestampDate(event.publishedAt) : at,
        event.updatedAt ? timestampDate(event.updatedAt) : at,
        event.version,
      ],
    );
  }

  /** Off the public record: out of the reports too. */
  async assessmentUnpublished(
    manager: EntityManager,
    event: PayloadOf<'assessmentUnpublished'>,
  ): Promise<void> {
    await manager.query(`DELETE FROM assessment_view WHERE assessment_id = $1`, [event.assessmentId]);
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
    await manager.query(
      `INSERT INTO action_recommendation_view (action_id, recommendation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [event.actionId, event.recommendationId],
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
    await manager.query(
      `INSERT INTO action_recommendation_view (action_id, recommendation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [event.actionId, event.recommendationId],
    );
    // Older producers name the institution only; ActionChanged, which follows, says the rest.
    if (event.institutionId) {
      // An UPDATE answers [rows, affected count] through TypeORM's PostgreSQL driver.
      const [rows]: [Array<{ supporting: string[] }>, number] = await manager.query(
        `UPDATE action_view SET lead_institution_id = $2 WHERE action_id = $1
         RETURNING supporting_institution_ids AS supporting`,
        [event.actionId, event.institutionId],
      );
      await this.replaceInstitutions(manager, event.actionId, event.institutionId, rows[0]?.supporting ?? []);
    }
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

  /**
   * One more reminder sent for the action. One that overtook its action on the other topic (after a
   * restart) waits in `action_early_reminder` until the action's first row takes it in; the lock is
   * the one that row's trigger takes (migration 1767000001070).
   */
  async deadlineReminderSent(
    manager: EntityManager,
    event: PayloadOf<'deadlineReminderSent'>,
    at: Date,
  ): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('action_early_reminder'), hashtext($1))`, [
      event.actionId,
    ]);
    try {
      await this.updateAction(
        manager,
        'DeadlineReminderSent',
        event.actionId,
        at,
        'reminders_sent = reminders_sent + 1',
        [],
      );
    } catch (error) {
      if (!(error instanceof UnknownActionError)) throw error;
      await manager.query(
        `INSERT INTO action_early_reminder (action_id, reminders) VALUES ($1, 1)
         ON CONFLICT (action_id) DO UPDATE SET reminders = action_early_reminder.reminders + 1`,
        [event.actionId],
      );
    }
  }

  /** A step of an overdue action's escalation ladder; the same step again counts once. */
  async actionEscalated(
    manager: EntityManager,
    event: PayloadOf<'actionEscalated'>,
    at: Date,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO action_escalation_view (action_id, due_at, step, rung, institution, notified_institution, escalated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        event.actionId,
        requireEventDate(event.dueAt ? timestampDate(event.dueAt) : null, 'due_at'),
        event.step,
        event.rung,
        event.institution,
        event.notifiedInstitution,
        at,
      ],
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
    await this.copyToInstitutions(manager, actionId);
  }

  /** The action's lead and supporting institutions, with its status and due date copied. */
  private async replaceInstitutions(
    manager: EntityManager,
    actionId: string,
    lead: string | null,
    supporting: readonly string[],
  ): Promise<void> {
    await manager.query(`DELETE FROM action_institution_view WHERE action_id = $1`, [actionId]);
    await manager.query(
      `INSERT INTO action_institution_view (action_id, institution_id, role, workflow_status, status, due_at)
       SELECT a.action_id, i.id, i.role, coalesce(a.workflow_status, a.status), a.status, a.due_at
         FROM action_view a,
              (SELECT $2::text AS id, 'lead' AS role WHERE $2::text IS NOT NULL
               UNION SELECT s, 'supporting' FROM unnest($3::text[]) s WHERE s IS DISTINCT FROM $2::text) i
        WHERE a.action_id = $1
       ON CONFLICT DO NOTHING`,
      [actionId, lead, supporting],
    );
  }

  private async copyToInstitutions(manager: EntityManager, actionId: string): Promise<void> {
    await manager.query(
      `UPDATE action_institution_view i
          SET workflow_status = coalesce(a.workflow_status, a.status), status = a.status, due_at = a.due_at
         FROM action_view a
        WHERE a.action_id = $1 AND i.action_id = a.action_id`,
      [actionId],
    );
  }
}

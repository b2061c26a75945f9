import { Injectable } from '@nestjs/common';
import { DomainError } from '@nmirf/platform';
import { DataSource, type EntityManager } from 'typeorm';

/** Only a report the coordinator accepted may be published (HTTP: 409). */
export class ReportNotAcceptedError extends Error {
  readonly code = 'not_accepted';
  constructor() {
    super('Only a progress report the coordinator has accepted can be published');
  }
}

export interface Publication {
  summary: string | null;
  publishedBy: string;
  publishedAt: Date;
}

/** A published report as anonymous readers see it: no people, no returns, no evidence files. */
export interface PublicReport {
  id: string;
  actionId: string;
  institutionId: string;
  final: boolean;
  percentage: number;
  /** The public summary when the coordinator wrote one, otherwise the narrative. */
  narrative: string;
  createdAt: Date;
  acceptedAt: Date | null;
  publishedAt: Date;
}

interface PublicRow {
  id: string;
  action_id: string;
  institution_id: string;
  final: boolean;
  percentage: number;
  narrative: string;
  summary: string | null;
  created_at: Date;
  accepted_at: Date | null;
  published_at: Date;
}

const publicOf = (row: PublicRow): PublicReport => ({
  id: row.id,
  actionId: row.action_id,
  institutionId: row.institution_id,
  final: row.final,
  percentage: row.percentage,
  narrative: row.summary ?? row.narrative,
  createdAt: row.created_at,
  acceptedAt: row.accepted_at,
  publishedAt: row.published_at,
});

// Public means: the report is published, and its action sits in a published plan.
const PUBLIC_REPORTS = `SELECT r.id, r.action_id, r.institution_id, r.final, r.percentage, r.narrative, p.summary,
         r.created_at, r.accepted_at, p.published_at
    FROM progress_reports r
    JOIN progress_report_publications p ON p.report_id = r.id
    JOIN actions a ON a.id = r.action_id
    JOIN plans pl ON pl.id = a.plan_id AND pl.published`;

/**
 * The coordinator publishes accepted progress reports for a public portal. Anonymous readers (and
 * anyone not party to the report) see a published report of an action in a published plan, in its
 * public form; unpublishing the plan hides its reports again.
 */
@Injectable()
export class ReportPublicationService {
  constructor(private readonly dataSource: DataSource) {}

  async publish(reportId: string, by: string, summary?: string): Promise<Publication> {
    return this.dataSource.transaction(async (manager) => {
      const status = await lockedStatus(manager, reportId);
      if (status !== 'accepted_by_coordinator') throw new ReportNotAcceptedError();
      const [row]: { summary: string | null; published_by: string; published_at: Date }[] =
        await manager.query(
          `INSERT INTO progress_report_publications (report_id, summary, published_by) VALUES ($1, $2, $3)
           ON CONFLICT (report_id) DO UPDATE SET summary = EXCLUDED.summary
             WHERE progress_report_publications.summary IS DISTINCT FROM EXCLUDED.summary
           RETURNING summary, published_by, published_at`,
          [reportId, summary ?? null, by],
        );
      if (row) return { summary: row.summary, publishedBy: row.published_by, publishedAt: row.published_at };
      return (await publicationsOf(manager, [reportId])).get(reportId) as Publication;
    });
  }

  async unpublish(reportId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await lockedStatus(manager, reportId);
      await manager.query(`DELETE FROM progress_report_publications WHERE report_id = $1`, [reportId]);
    });
  }

  publicationsOf(reportIds: readonly string[]): Promise<Map<string, Publication>> {
    return publicationsOf(this.dataSource.manager, reportIds);
  }

  /** The action's public reports, oldest first; null when the action is not public (no published plan). */
  async ofAction(actionId: string): Promise<PublicReport[] | null> {
    const visible: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM actions a JOIN plans pl ON pl.id = a.plan_id AND pl.published WHERE a.id = $1`,
      [actionId],
    );
    if (visible.length === 0) return null;
    const rows: PublicRow[] = await this.dataSource.query(
      `${PUBLIC_REPORTS} WHERE r.action_id = $1 ORDER BY r.created_at, r.id`,
      [actionId],
    );
    return rows.map(publicOf);
  }

  async find(reportId: string): Promise<PublicReport | null> {
    const rows: PublicRow[] = await this.dataSource.query(`${PUBLIC_REPORTS} WHERE r.id = $1`, [reportId]);
    return rows.length > 0 ? publicOf(rows[0]) : null;
  }
}

async function lockedStatus(manager: EntityManager, reportId: string): Promise<string> {
  const rows: { status: string }[] = await manager.query(
    `SELECT status FROM progress_reports WHERE id = $1 FOR UPDATE`,
    [reportId],
  );
  if (rows.length === 0) throw DomainError.notFound('Progress report', reportId);
  return rows[0].status;
}

async function publicationsOf(
  manager: EntityManager,
  reportIds: readonly string[],
): Promise<Map<string, Publication>> {
  const publications = new Map<string, Publication>();
  if (reportIds.length === 0) return publications;
  const rows: { report_id: string; summary: string | null; published_by: string; published_at: Date }[] =
    await manager.query(
      `SELECT report_id, summary, published_by, published_at FROM progress_report_publications
        WHERE report_id = ANY ($1::uuid[])`,
      [[...reportIds]],
    );
  for (const row of rows)
    publications.set(row.report_id, {
      summary: row.summary,
      publishedBy: row.published_by,
      publishedAt: row.published_at,
    });
  return publications;
}

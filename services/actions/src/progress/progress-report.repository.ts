import type { EntityManager } from 'typeorm';
import type { ReportStatus } from '../workflow';
import {
  workflowStatus,
  type ActionFacts,
  type EvidenceFile,
  type ProgressReport,
  type ReportReturn,
} from './progress-report';

const COLUMNS = `id, action_id, institution_id, status, final, narrative, percentage, version,
  created_by, created_at, updated_by, updated_at, submitted_by, submitted_at,
  approved_by, approved_at, accepted_by, accepted_at`;

interface ReportRow {
  id: string;
  action_id: string;
  institution_id: string;
  status: ReportStatus;
  final: boolean;
  narrative: string;
  percentage: number;
  version: number;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
  submitted_by: string | null;
  submitted_at: Date | null;
  approved_by: string | null;
  approved_at: Date | null;
  accepted_by: string | null;
  accepted_at: Date | null;
}

const reportOf = (row: ReportRow): ProgressReport => ({
  id: row.id,
  actionId: row.action_id,
  institutionId: row.institution_id,
  status: row.status,
  final: row.final,
  narrative: row.narrative,
  percentage: row.percentage,
  version: row.version,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
  submittedBy: row.submitted_by,
  submittedAt: row.submitted_at,
  approvedBy: row.approved_by,
  approvedAt: row.approved_at,
  acceptedBy: row.accepted_by,
  acceptedAt: row.accepted_at,
});

/** The progress reports' SQL, and what they need of their action, in the caller's transaction. */
export class ProgressReportRepository {
  constructor(readonly manager: EntityManager) {}

  /** The action's status, lead and supporting institutions; locked when a report step may change it. */
  async action(id: string, options: { lock?: boolean } = {}): Promise<ActionFacts | null> {
    const rows: { status: string; lead: string | null; version: number }[] = await this.manager.query(
      `SELECT status, lead_institution_id AS lead, version FROM actions WHERE id = $1${
        options.lock ? ' FOR UPDATE' : ''
      }`,
      [id],
    );
    if (rows.length === 0) return null;
    const supporting: { institution_id: string }[] = await this.manager.query(
      `SELECT institution_id FROM action_supporting_institutions WHERE action_id = $1 ORDER BY institution_id`,
      [id],
    );
    return {
      id,
      status: workflowStatus(rows[0].status),
      lead: rows[0].lead,
      supporting: supporting.map((row) => row.institution_id),
      version: rows[0].version,
    };
  }

  async find(id: string, options: { lock?: boolean } = {}): Promise<ProgressReport | null> {
    const rows: ReportRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM progress_reports WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows.length > 0 ? reportOf(rows[0]) : null;
  }

  /** The action's reports, oldest first. */
  async ofAction(actionId: string): Promise<ProgressReport[]> {
    const rows: ReportRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM progress_reports WHERE action_id = $1 ORDER BY created_at, id`,
      [actionId],
    );
    return rows.map(reportOf);
  }

  /**
   * One page of reports, oldest submission first, with their action's title: those of `status` if
   * given, and of the `institutions` (compared ignoring case) unless null, which means all.
   */
  async page(filter: {
    status?: ReportStatus;
    institutions: readonly string[] | null;
    limit: number;
    offset: number;
  }): Promise<{ items: { report: ProgressReport; actionTitle: string }[]; total: number }> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.status) {
      values.push(filter.status);
      where.push(`r.status = $${values.length}`);
    }
    if (filter.institutions) {
      values.push(filter.institutions.map((institution) => institution.toLowerCase()));
      where.push(`lower(r.institution_id) = ANY($${values.length}::text[])`);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const columns = COLUMNS.split(',')
      .map((column) => `r.${column.trim()}`)
      .join(', ');
    const rows: (ReportRow & { action_title: string; total: string })[] = await this.manager.query(
      `SELECT ${columns}, a.title AS action_title, count(*) OVER () AS total
         FROM progress_reports r JOIN actions a ON a.id = r.action_id
         ${clause}
        ORDER BY coalesce(r.submitted_at, r.created_at), r.id
        LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, filter.limit, filter.offset],
    );
    // Past the last page the window count is absent: count apart, so `total` stays true.
    const total =
      rows.length > 0
        ? Number(rows[0].total)
        : filter.offset === 0
          ? 0
          : Number(
              (
                await this.manager.query(`SELECT count(*) AS total FROM progress_reports r ${clause}`, values)
              )[0].total,
            );
    return { items: rows.map((row) => ({ report: reportOf(row), actionTitle: row.action_title })), total };
  }

  async insert(report: ProgressReport): Promise<void> {
    await this.manager.query(
      `INSERT INTO progress_reports (id, action_id, institution_id, status, final, narrative, percentage,
         version, created_by, updated_by, submitted_by, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        report.id,
        report.actionId,
        report.institutionId,
        report.status,
        report.final,
        report.narrative,
        report.percentage,
        report.version,
        report.createdBy,
        report.updatedBy,
        report.submittedBy,
        report.submittedAt,
      ],
    );
  }

  /** Writes the report's changeable columns; `updated_at` is the database's clock. */
  async update(report: ProgressReport): Promise<void> {
    // An UPDATE answers [rows, affected count] through TypeORM's PostgreSQL driver.
    const [rows]: [{ updated_at: Date }[], number] = await this.manager.query(
      `UPDATE progress_reports
          SET status = $2, final = $3, narrative = $4, percentage = $5, version = $6, updated_by = $7,
              updated_at = now(), submitted_by = $8, submitted_at = $9, approved_by = $10,
              approved_at = $11, accepted_by = $12, accepted_at = $13
        WHERE id = $1
        RETURNING updated_at`,
      [
        report.id,
        report.status,
        report.final,
        report.narrative,
        report.percentage,
        report.version,
        report.updatedBy,
        report.submittedBy,
        report.submittedAt,
        report.approvedBy,
        report.approvedAt,
        report.acceptedBy,
        report.acceptedAt,
      ],
    );
    report.updatedAt = rows[0].updated_at;
  }

  async addReturn(reportId: string, entry: Omit<ReportReturn, 'returnedAt'>): Promise<void> {
    await this.manager.query(
      `INSERT INTO progress_report_returns (report_id, stage, comments, returned_by) VALUES ($1, $2, $3, $4)`,
      [reportId, entry.stage, entry.comments, entry.returnedBy],
    );
  }

  /** Each report's returns, oldest first. */
  async returnsOf(reportIds: readonly string[]): Promise<Map<string, ReportReturn[]>> {
    const returns = new Map<string, ReportReturn[]>(reportIds.map((id) => [id, []]));
    if (reportIds.length === 0) return returns;
    const rows: {
      report_id: string;
      stage: ReportReturn['stage'];
      comments: string;
      returned_by: string;
      returned_at: Date;
    }[] = await this.manager.query(
      `SELECT report_id, stage, comments, returned_by, returned_at FROM progress_report_returns
        WHERE report_id = ANY ($1::uuid[]) ORDER BY id`,
      [[...reportIds]],
    );
    for (const row of rows)
      returns.get(row.report_id)?.push({
        stage: row.stage,
        comments: row.comments,
        returnedBy: row.returned_by,
        returnedAt: row.returned_at,
      });
    return returns;
  }

  /** Each report's evidence files, oldest first. */
  async filesOf(reportIds: readonly string[]): Promise<Map<string, EvidenceFile[]>> {
    const files = new Map<string, EvidenceFile[]>(reportIds.map((id) => [id, []]));
    if (reportIds.length === 0) return files;
    const rows: FileRow[] = await this.manager.query(
      `SELECT report_id, sha256, file_name, media_type, size, uploaded_by, uploaded_at
         FROM progress_report_files WHERE report_id = ANY ($1::uuid[]) ORDER BY uploaded_at, sha256`,
      [[...reportIds]],
    );
    for (const row of rows) files.get(row.report_id)?.push(fileOf(row));
    return files;
  }

  async file(reportId: string, sha256: string): Promise<EvidenceFile | null> {
    const rows: FileRow[] = await this.manager.query(
      `SELECT report_id, sha256, file_name, media_type, size, uploaded_by, uploaded_at
         FROM progress_report_files WHERE report_id = $1 AND sha256 = $2`,
      [reportId, sha256],
    );
    return rows.length > 0 ? fileOf(rows[0]) : null;
  }

  /** Attaches the file; false when the report already shows these bytes. */
  async attach(reportId: string, file: Omit<EvidenceFile, 'uploadedAt'>): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO progress_report_files (report_id, sha256, file_name, media_type, size, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (report_id, sha256) DO NOTHING
       RETURNING sha256`,
      [reportId, file.sha256, file.name, file.mediaType, file.size, file.uploadedBy],
    );
    return rows.length > 0;
  }
}

interface FileRow {
  report_id: string;
  sha256: string;
  file_name: string;
  media_type: string;
  size: string;
  uploaded_by: string;
  uploaded_at: Date;
}

const fileOf = (row: FileRow): EvidenceFile => ({
  sha256: row.sha256,
  name: row.file_name,
  mediaType: row.media_type,
  size: Number(row.size),
  uploadedBy: row.uploaded_by,
  uploadedAt: row.uploaded_at,
});

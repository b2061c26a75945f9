import type { EntityManager } from 'typeorm';
import type { Frequency, Indicator, IndicatorSubject, IndicatorType, Measurement } from './indicator';

const COLUMNS = `id, action_id, recommendation_id, name, type, unit, baseline_value,
  to_char(baseline_date, 'YYYY-MM-DD') AS baseline_date, target_value,
  to_char(target_date, 'YYYY-MM-DD') AS target_date, frequency, data_source, disaggregation,
  sdg_indicator, version, created_by, created_at, updated_by, updated_at`;

interface IndicatorRow {
  id: string;
  action_id: string | null;
  recommendation_id: string | null;
  name: string;
  type: IndicatorType;
  unit: string;
  baseline_value: string;
  baseline_date: string;
  target_value: string;
  target_date: string;
  frequency: Frequency;
  data_source: string;
  disaggregation: string[];
  sdg_indicator: string | null;
  version: number;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
}

const indicatorOf = (row: IndicatorRow): Indicator => ({
  id: row.id,
  subject: row.action_id
    ? { kind: 'action', id: row.action_id }
    : { kind: 'recommendation', id: row.recommendation_id as string },
  name: row.name,
  type: row.type,
  unit: row.unit,
  baseline: { value: Number(row.baseline_value), date: row.baseline_date },
  target: { value: Number(row.target_value), date: row.target_date },
  frequency: row.frequency,
  dataSource: row.data_source,
  disaggregation: row.disaggregation,
  sdgIndicator: row.sdg_indicator,
  version: row.version,
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
});

/** Who works on an action: its lead and supporting institutions. */
export interface ActionParties {
  lead: string | null;
  supporting: string[];
}

/** The indicators' SQL, in the caller's transaction. */
export class IndicatorRepository {
  constructor(readonly manager: EntityManager) {}

  async find(id: string, options: { lock?: boolean } = {}): Promise<Indicator | null> {
    const rows: IndicatorRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM indicators WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows.length > 0 ? indicatorOf(rows[0]) : null;
  }

  async ofSubject(subject: IndicatorSubject): Promise<Indicator[]> {
    const column = subject.kind === 'action' ? 'action_id' : 'recommendation_id';
    const rows: IndicatorRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM indicators WHERE ${column} = $1 ORDER BY created_at, id`,
      [subject.id],
    );
    return rows.map(indicatorOf);
  }

  /** Whether the action or recommendation exists. */
  async subjectExists(subject: IndicatorSubject): Promise<boolean> {
    const table = subject.kind === 'action' ? 'actions' : 'known_recommendations';
    const rows: unknown[] = await this.manager.query(`SELECT 1 FROM ${table} WHERE id = $1`, [subject.id]);
    return rows.length > 0;
  }

  /**
   * The institutions that work on the subject: an action's lead and supporting institutions, or
   * those of every action serving the recommendation. Null when the subject does not exist.
   */
  async institutionsOf(subject: IndicatorSubject): Promise<string[] | null> {
    if (!(await this.subjectExists(subject))) return null;
    const actions =
      subject.kind === 'action'
        ? `SELECT $1::uuid AS id`
        : `SELECT action_id AS id FROM action_recommendations WHERE recommendation_id = $1`;
    const rows: Array<{ institution_id: string }> = await this.manager.query(
      `WITH served AS (${actions})
       SELECT a.lead_institution_id AS institution_id FROM actions a JOIN served s ON s.id = a.id
        WHERE a.lead_institution_id IS NOT NULL
       UNION
       SELECT i.institution_id FROM action_supporting_institutions i JOIN served s ON s.id = i.action_id
       ORDER BY 1`,
      [subject.id],
    );
    return rows.map((row) => row.institution_id);
  }

  /**
   * The institutions reminded to report the indicator: an action's lead and supporting institutions;
   * for a recommendation's indicator, the lead institutions of the actions serving it.
   */
  async reportingInstitutionsOf(subject: IndicatorSubject): Promise<string[]> {
    const rows: Array<{ institution_id: string }> =
      subject.kind === 'action'
        ? await this.manager.query(
            `SELECT lead_institution_id AS institution_id FROM actions
              WHERE id = $1 AND lead_institution_id IS NOT NULL
             UNION
             SELECT institution_id FROM action_supporting_institutions WHERE action_id = $1
             ORDER BY 1`,
            [subject.id],
          )
        : await this.manager.query(
            `SELECT DISTINCT a.lead_institution_id AS institution_id
               FROM actions a JOIN action_recommendations r ON r.action_id = a.id
              WHERE r.recommendation_id = $1 AND a.lead_institution_id IS NOT NULL
              ORDER BY 1`,
            [subject.id],
          );
    return rows.map((row) => row.institution_id);
  }

  /** The institutions the indicator's last IndicatorScheduled named; null if it was never announced. */
  async remindedInstitutions(id: string): Promise<string[] | null> {
    const rows: Array<{ reminded_institutions: string[] | null }> = await this.manager.query(
      `SELECT reminded_institutions FROM indicators WHERE id = $1`,
      [id],
    );
    return rows[0]?.reminded_institutions ?? null;
  }

  async setRemindedInstitutions(id: string, institutions: readonly string[]): Promise<void> {
    await this.manager.query(`UPDATE indicators SET reminded_institutions = $2 WHERE id = $1`, [
      id,
      [...institutions],
    ]);
  }

  /** The indicators of the action and of the recommendations it serves, locked until commit. */
  async lockAffectedBy(actionId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.manager.query(
      `SELECT id FROM indicators
        WHERE action_id = $1
           OR recommendation_id IN (SELECT recommendation_id FROM action_recommendations WHERE action_id = $1)
        ORDER BY id
          FOR UPDATE`,
      [actionId],
    );
    return rows.map((row) => row.id);
  }

  /** A progress report's action and institution, to check a measurement given within it. */
  async report(id: string): Promise<{ actionId: string; institutionId: string } | null> {
    const rows: Array<{ action_id: string; institution_id: string }> = await this.manager.query(
      `SELECT action_id, institution_id FROM progress_reports WHERE id = $1`,
      [id],
    );
    return rows.length > 0 ? { actionId: rows[0].action_id, institutionId: rows[0].institution_id } : null;
  }

  async insert(indicator: Indicator): Promise<void> {
    await this.manager.query(
      `INSERT INTO indicators (id, action_id, recommendation_id, name, type, unit, baseline_value, baseline_date,
         target_value, target_date, frequency, data_source, disaggregation, sdg_indicator, version,
         created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        indicator.id,
        indicator.subject.kind === 'action' ? indicator.subject.id : null,
        indicator.subject.kind === 'recommendation' ? indicator.subject.id : null,
        ...this.definitionValues(indicator),
        indicator.version,
        indicator.createdBy,
        indicator.updatedBy,
      ],
    );
  }

  async update(indicator: Indicator): Promise<void> {
    const [rows]: [Array<{ updated_at: Date }>, number] = await this.manager.query(
      `UPDATE indicators
          SET name = $2, type = $3, unit = $4, baseline_value = $5, baseline_date = $6, target_value = $7,
              target_date = $8, frequency = $9, data_source = $10, disaggregation = $11, sdg_indicator = $12,
              version = $13, updated_by = $14, updated_at = now()
        WHERE id = $1
        RETURNING updated_at`,
      [indicator.id, ...this.definitionValues(indicator), indicator.version, indicator.updatedBy],
    );
    indicator.updatedAt = rows[0].updated_at;
  }

  /** Each indicator's measurements, by the day they measure, oldest first. */
  async measurementsOf(indicatorIds: readonly string[]): Promise<Map<string, Measurement[]>> {
    const measurements = new Map<string, Measurement[]>(indicatorIds.map((id) => [id, []]));
    if (indicatorIds.length === 0) return measurements;
    const rows: Array<{
      id: string;
      indicator_id: string;
      value: string;
      measured_on: string;
      note: string;
      reported_by: string;
      institution_id: string | null;
      progress_report_id: string | null;
      recorded_at: Date;
    }> = await this.manager.query(
      `SELECT id, indicator_id, value, to_char(measured_on, 'YYYY-MM-DD') AS measured_on, note, reported_by,
              institution_id, progress_report_id, recorded_at
         FROM indicator_measurements WHERE indicator_id = ANY ($1::uuid[])
        ORDER BY measured_on, recorded_at, id`,
      [[...indicatorIds]],
    );
    for (const row of rows)
      measurements.get(row.indicator_id)?.push({
        id: row.id,
        indicatorId: row.indicator_id,
        value: Number(row.value),
        date: row.measured_on,
        note: row.note,
        reportedBy: row.reported_by,
        institutionId: row.institution_id,
        progressReportId: row.progress_report_id,
        recordedAt: row.recorded_at,
      });
    return measurements;
  }

  async addMeasurement(measurement: Omit<Measurement, 'recordedAt'>): Promise<void> {
    await this.manager.query(
      `INSERT INTO indicator_measurements (id, indicator_id, value, measured_on, note, reported_by, institution_id,
         progress_report_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        measurement.id,
        measurement.indicatorId,
        measurement.value,
        measurement.date,
        measurement.note,
        measurement.reportedBy,
        measurement.institutionId,
        measurement.progressReportId,
      ],
    );
  }

  private definitionValues(indicator: Indicator): unknown[] {
    return [
      indicator.name,
      indicator.type,
      indicator.unit,
      indicator.baseline.value,
      indicator.baseline.date,
      indicator.target.value,
      indicator.target.date,
      indicator.frequency,
      indicator.dataSource,
      indicator.disaggregation,
      indicator.sdgIndicator,
    ];
  }
}

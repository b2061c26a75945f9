import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indicators of an action or of a recommendation (baseline, target, reporting frequency, data
 * source, disaggregation, SDG indicator) and the measurements reported against them.
 */
export class Indicators1765700000001 implements MigrationInterface {
  name = 'Indicators1765700000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE indicators (
        id uuid PRIMARY KEY,
        action_id uuid CONSTRAINT indicators_action_id_fkey REFERENCES actions (id),
        recommendation_id uuid CONSTRAINT indicators_recommendation_id_fkey REFERENCES known_recommendations (id),
        name text NOT NULL,
        type text NOT NULL,
        unit text NOT NULL,
        baseline_value numeric NOT NULL,
        baseline_date date NOT NULL,
        target_value numeric NOT NULL,
        target_date date NOT NULL,
        frequency text NOT NULL,
        data_source text NOT NULL,
        disaggregation text[] NOT NULL DEFAULT '{}',
        sdg_indicator text,
        version integer NOT NULL DEFAULT 1,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT indicators_subject CHECK ((action_id IS NULL) <> (recommendation_id IS NULL)),
        CONSTRAINT indicators_type CHECK (type IN ('structural', 'process', 'outcome')),
        CONSTRAINT indicators_frequency CHECK (frequency IN ('monthly', 'quarterly', 'semiannual', 'annual')),
        CONSTRAINT indicators_dates CHECK (target_date > baseline_date),
        CONSTRAINT indicators_sdg CHECK (sdg_indicator ~ '^([1-9]|1[0-7])\\.([1-9][0-9]?|[a-z])\\.[1-9][0-9]?$')
      )`);
    await queryRunner.query(`CREATE INDEX indicators_action ON indicators (action_id)`);
    await queryRunner.query(`CREATE INDEX indicators_recommendation ON indicators (recommendation_id)`);
    await queryRunner.query(`
      CREATE TABLE indicator_measurements (
        id uuid PRIMARY KEY,
        indicator_id uuid NOT NULL CONSTRAINT indicator_measurements_indicator_id_fkey REFERENCES indicators (id),
        value numeric NOT NULL,
        measured_on date NOT NULL,
        note text NOT NULL DEFAULT '',
        reported_by text NOT NULL,
        institution_id text,
        progress_report_id uuid
          CONSTRAINT indicator_measurements_progress_report_id_fkey REFERENCES progress_reports (id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX indicator_measurements_indicator ON indicator_measurements (indicator_id, measured_on)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE indicator_measurements`);
    await queryRunner.query(`DROP TABLE indicators`);
  }
}

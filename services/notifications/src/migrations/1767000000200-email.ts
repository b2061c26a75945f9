import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email: whom to write to and how.
 * - recipient_profiles: a person's address, language (six UN languages) and time zone, by token subject.
 *   There is no user directory: the token fills it, the person edits it, a coordinator provisions it.
 * - institution_people: the focal points and validators of each institution, projected from
 *   InstitutionChanged, to turn an inbox notification into people.
 * - mail_preferences: per person and kind of mail, immediate, daily or weekly digest, or off.
 * - digests: one per person, cadence and period; deliveries: one per (notification or digest, channel,
 *   person), whose id is the idempotency key and the mail's Message-ID.
 */
export class Email1767000000200 implements MigrationInterface {
  name = 'Email1767000000200';
  // Bookkeeping and a projection: the trail keeps who changed profiles and preferences.
  static unaudited = ['deliveries', 'digests', 'institution_people'];

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE recipient_profiles (
        subject text PRIMARY KEY,
        email text,
        language text NOT NULL DEFAULT 'en'
          CONSTRAINT recipient_profiles_language CHECK (language IN ('ar', 'zh', 'en', 'fr', 'ru', 'es')),
        time_zone text NOT NULL DEFAULT 'UTC',
        source text NOT NULL CONSTRAINT recipient_profiles_source CHECK (source IN ('token', 'user', 'provisioned')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE institution_people (
        institution_id text PRIMARY KEY,
        focal_point_ids text[] NOT NULL DEFAULT '{}',
        validator_ids text[] NOT NULL DEFAULT '{}',
        names jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX institution_people_focal_points ON institution_people USING gin (focal_point_ids)`,
    );
    await queryRunner.query(`
      CREATE TABLE mail_preferences (
        subject text NOT NULL,
        mail_kind text NOT NULL,
        cadence text NOT NULL
          CONSTRAINT mail_preferences_cadence CHECK (cadence IN ('immediate', 'daily', 'weekly', 'off')),
        CONSTRAINT mail_preferences_always_on CHECK (cadence <> 'off' OR mail_kind NOT IN ('overdue', 'escalation')),
        PRIMARY KEY (subject, mail_kind)
      )`);
    await queryRunner.query(`
      CREATE TABLE digests (
        id uuid PRIMARY KEY,
        subject text NOT NULL,
        cadence text NOT NULL CONSTRAINT digests_cadence CHECK (cadence IN ('daily', 'weekly')),
        period_start timestamptz,
        period_end timestamptz NOT NULL,
        notification_ids uuid[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX digests_period ON digests (subject, cadence, period_end)`);
    await queryRunner.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY,
        notification_id uuid,
        digest_id uuid,
        channel text NOT NULL CONSTRAINT deliveries_channel CHECK (channel IN ('email')),
        recipient_subject text NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CONSTRAINT deliveries_status CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT deliveries_source CHECK ((notification_id IS NULL) <> (digest_id IS NULL))
      )`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX deliveries_notification ON deliveries (notification_id, channel, recipient_subject)
        WHERE notification_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX deliveries_digest ON deliveries (digest_id, channel, recipient_subject)
        WHERE digest_id IS NOT NULL`);
    await queryRunner.query(
      `CREATE INDEX deliveries_pending ON deliveries (created_at) WHERE status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE deliveries`);
    await queryRunner.query(`DROP TABLE digests`);
    await queryRunner.query(`DROP TABLE mail_preferences`);
    await queryRunner.query(`DROP TABLE institution_people`);
    await queryRunner.query(`DROP TABLE recipient_profiles`);
  }
}

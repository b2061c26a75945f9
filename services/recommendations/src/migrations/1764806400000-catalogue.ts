import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The full catalogue: classified recommendations with per-source snapshots and history, imports with
 * their row-level reports, candidate links and national clusters.
 */
export class Catalogue1764806400000 implements MigrationInterface {
  /** A file's row-by-row report: the import's own audit record summarises it. */
  static readonly unaudited = ['import_rows'];

  name = 'Catalogue1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    // `mechanism` held the body code; it becomes the kind (upr, treaty_body…) and `body` the code.
    await q(`ALTER TABLE recommendations RENAME COLUMN mechanism TO body`);
    await q(`ALTER INDEX recommendations_mechanism RENAME TO recommendations_body`);
    await q(`
      ALTER TABLE recommendations
        ADD COLUMN mechanism text NOT NULL DEFAULT 'upr',
        ADD COLUMN type text NOT NULL DEFAULT 'recommendation',
        ADD COLUMN state_under_review text,
        ADD COLUMN upr_cycle smallint,
        ADD COLUMN upr_session smallint,
        ADD COLUMN published_on date,
        ADD COLUMN indexed_on date,
        ADD COLUMN language text NOT NULL DEFAULT 'en',
        ADD COLUMN imported_position text,
        ADD COLUMN position_source text,
        ADD COLUMN position_justification text,
        ADD COLUMN position_edited_at timestamptz,
        ADD COLUMN position_edited_by text,
        ADD COLUMN themes text[] NOT NULL DEFAULT '{}',
        ADD COLUMN theme_labels text[] NOT NULL DEFAULT '{}',
        ADD COLUMN groups text[] NOT NULL DEFAULT '{}',
        ADD COLUMN group_labels text[] NOT NULL DEFAULT '{}',
        ADD COLUMN sdg_goals text[] NOT NULL DEFAULT '{}',
        ADD COLUMN sdg_targets text[] NOT NULL DEFAULT '{}',
        ADD COLUMN cluster_headings text[] NOT NULL DEFAULT '{}',
        ADD COLUMN regions text[] NOT NULL DEFAULT '{}',
        ADD COLUMN recommending_regions text[] NOT NULL DEFAULT '{}',
        ADD COLUMN annotation_id uuid,
        ADD COLUMN sources text[] NOT NULL DEFAULT '{}',
        ADD COLUMN version integer NOT NULL DEFAULT 1,
        ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    await q(`UPDATE recommendations SET mechanism = CASE
               WHEN body = 'UPR' THEN 'upr'
               WHEN body IN ('CERD','CESCR','CCPR','CEDAW','CAT','SPT','CRC','CMW','CRPD','CED') THEN 'treaty_body'
               WHEN body ~ '^(SR|WG|IE)' THEN 'special_procedure'
               ELSE 'regional' END`);
    // Paragraphs sort as numbers: 115.2 before 115.10.
    await q(`CREATE COLLATION paragraph_order (provider = icu, locale = 'und-u-kn-true')`);
    await q(`CREATE UNIQUE INDEX recommendations_annotation ON recommendations (annotation_id)`);
    await q(
      `CREATE INDEX recommendations_filters ON recommendations (mechanism, body, upr_cycle, upr_session)`,
    );
    await q(`CREATE INDEX recommendations_published ON recommendations (published_on)`);
    for (const column of ['themes', 'groups', 'sdg_goals', 'sdg_targets', 'recommending_states']) {
      await q(`CREATE INDEX recommendations_${column} ON recommendations USING gin (${column})`);
    }
    // Full-text search in the recommendation's own language; the index expression must be immutable.
    await q(`
      CREATE FUNCTION text_search_config(language text) RETURNS regconfig
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE language
          WHEN 'en' THEN 'english'::regconfig WHEN 'fr' THEN 'french'::regconfig
          WHEN 'es' THEN 'spanish'::regconfig WHEN 'ru' THEN 'russian'::regconfig
          ELSE 'simple'::regconfig END
      $$`);
    // The vector is stored (kept by a trigger) so ranking does not re-parse every matching text.
    await q(`ALTER TABLE recommendations ADD COLUMN search_vector tsvector`);
    await q(`
      CREATE FUNCTION recommendations_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector := to_tsvector(text_search_config(NEW.language), NEW.text);
        RETURN NEW;
      END $$`);
    await q(`
      CREATE TRIGGER recommendations_search_vector BEFORE INSERT OR UPDATE OF text, language ON recommendations
      FOR EACH ROW EXECUTE FUNCTION recommendations_search_vector()`);
    await q(`UPDATE recommendations SET search_vector = to_tsvector(text_search_config(language), text)`);
    await q(`CREATE INDEX recommendations_text_search ON recommendations USING gin (search_vector)`);

    await q(`
      CREATE TABLE recommendation_sources (
        recommendation_id uuid NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
        source text NOT NULL,
        data jsonb NOT NULL,
        content_hash text NOT NULL,
        import_id uuid,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (recommendation_id, source)
      )`);
    await q(`
      CREATE TABLE recommendation_history (
        id bigserial PRIMARY KEY,
        recommendation_id uuid NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
        version integer NOT NULL,
        kind text NOT NULL,
        import_id uuid,
        actor text,
        changes jsonb NOT NULL,
        justification text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(
      `CREATE INDEX recommendation_history_recommendation ON recommendation_history (recommendation_id, version)`,
    );

    await q(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY,
        format text NOT NULL,
        filename text NOT NULL,
        byte_size bigint NOT NULL,
        sha256 text NOT NULL,
        dry_run boolean NOT NULL,
        skip_invalid boolean NOT NULL,
        status text NOT NULL,
        rows_read integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        error jsonb,
        links_status text,
        actor text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q(`CREATE INDEX imports_started ON imports (started_at)`);
    await q(`
      CREATE TABLE import_rows (
        import_id uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
        row_number integer NOT NULL,
        outcome text NOT NULL,
        recommendation_id uuid,
        document_symbol text,
        paragraph text,
        changed_fields text[] NOT NULL DEFAULT '{}',
        problems text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (import_id, row_number)
      )`);
    await q(`CREATE INDEX import_rows_outcome ON import_rows (import_id, outcome, row_number)`);

    await q(`
      CREATE TABLE recommendation_links (
        id uuid PRIMARY KEY,
        a_id uuid NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
        b_id uuid NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
        score real NOT NULL,
        method text NOT NULL,
        explanation jsonb NOT NULL,
        status text NOT NULL DEFAULT 'candidate',
        decided_by text,
        decided_at timestamptz,
        note text,
        detected_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT recommendation_links_ordered CHECK (a_id < b_id)
      )`);
    await q(`CREATE UNIQUE INDEX recommendation_links_pair ON recommendation_links (a_id, b_id)`);
    await q(`CREATE INDEX recommendation_links_b ON recommendation_links (b_id)`);

    await q(`
      CREATE TABLE clusters (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        basis text NOT NULL,
        basis_key text,
        description text,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE UNIQUE INDEX clusters_name ON clusters (lower(name))`);
    await q(`
      CREATE TABLE cluster_members (
        cluster_id uuid NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
        recommendation_id uuid NOT NULL REFERENCES recommendations (id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cluster_id, recommendation_id)
      )`);
    await q(`CREATE INDEX cluster_members_recommendation ON cluster_members (recommendation_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    for (const table of [
      'cluster_members',
      'clusters',
      'recommendation_links',
      'import_rows',
      'imports',
      'recommendation_history',
      'recommendation_sources',
    ]) {
      await q(`DROP TABLE ${table}`);
    }
    await q(`DROP TRIGGER recommendations_search_vector ON recommendations`);
    await q(`DROP FUNCTION recommendations_search_vector()`);
    await q(`ALTER TABLE recommendations DROP COLUMN search_vector`);
    await q(`DROP FUNCTION text_search_config(text)`);
    await q(`DROP COLLATION paragraph_order`);
    const added = [
      'mechanism',
      'type',
      'state_under_review',
      'upr_cycle',
      'upr_session',
      'published_on',
      'indexed_on',
      'language',
      'imported_position',
      'position_source',
      'position_justification',
      'position_edited_at',
      'position_edited_by',
      'themes',
      'theme_labels',
      'groups',
      'group_labels',
      'sdg_goals',
      'sdg_targets',
      'cluster_headings',
      'regions',
      'recommending_regions',
      'annotation_id',
      'sources',
      'version',
      'updated_at',
    ];
    await q(`ALTER TABLE recommendations ${added.map((column) => `DROP COLUMN ${column}`).join(', ')}`);
    await q(`ALTER INDEX recommendations_body RENAME TO recommendations_mechanism`);
    await q(`ALTER TABLE recommendations RENAME COLUMN body TO mechanism`);
  }
}

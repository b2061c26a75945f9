import { MigrationInterface, QueryRunner } from 'typeorm';

type Names = [en: string, fr: string, es: string, ru: string, zh: string, ar: string];

/**
 * The institutions the demo realm's users belong to and the demo data assigns work to. Their ids are
 * the values of the realm's institutions claim. A State deactivates the ones it does not have.
 */
const SEED: Array<{ id: string; kind: string; acronym: string | null; names: Names }> = [
  {
    id: 'NMIRF Secretariat',
    kind: 'agency',
    acronym: 'NMIRF',
    names: [
      'NMIRF Secretariat',
      'Secrétariat du mécanisme national de mise en œuvre, d’établissement de rapports et de suivi',
      'Secretaría del mecanismo nacional de aplicación, presentación de informes y seguimiento',
      'Секретариат национального механизма по осуществлению, представлению докладов и последующей деятельности',
      '国家执行、报告和后续行动机制秘书处',
      'أمانة الآلية الوطنية للتنفيذ والإبلاغ والمتابعة',
    ],
  },
  {
    id: 'Ministry of Justice',
    kind: 'ministry',
    acronym: null,
    names: [
      'Ministry of Justice',
      'Ministère de la Justice',
      'Ministerio de Justicia',
      'Министерство юстиции',
      '司法部',
      'وزارة العدل',
    ],
  },
  {
    id: 'Ministry of Interior',
    kind: 'ministry',
    acronym: null,
    names: [
      'Ministry of Interior',
      'Ministère de l’Intérieur',
      'Ministerio del Interior',
      'Министерство внутренних дел',
      '内政部',
      'وزارة الداخلية',
    ],
  },
  {
    id: 'Ministry of Education',
    kind: 'ministry',
    acronym: null,
    names: [
      'Ministry of Education',
      'Ministère de l’Éducation',
      'Ministerio de Educación',
      'Министерство образования',
      '教育部',
      'وزارة التعليم',
    ],
  },
  {
    id: 'Ministry of Labour, Family, Social Affairs and Equal Opportunities',
    kind: 'ministry',
    acronym: null,
    names: [
      'Ministry of Labour, Family, Social Affairs and Equal Opportunities',
      'Ministère du Travail, de la Famille, des Affaires sociales et de l’Égalité des chances',
      'Ministerio de Trabajo, Familia, Asuntos Sociales e Igualdad de Oportunidades',
      'Министерство труда, по делам семьи, социальным вопросам и равным возможностям',
      '劳动、家庭、社会事务和机会均等部',
      'وزارة العمل والأسرة والشؤون الاجتماعية وتكافؤ الفرص',
    ],
  },
  {
    id: 'Ministry of Health',
    kind: 'ministry',
    acronym: null,
    names: [
      'Ministry of Health',
      'Ministère de la Santé',
      'Ministerio de Salud',
      'Министерство здравоохранения',
      '卫生部',
      'وزارة الصحة',
    ],
  },
  {
    id: 'Ministry of Finance',
    kind: 'ministry',
    acronym: null,
    names: [
      'Ministry of Finance',
      'Ministère des Finances',
      'Ministerio de Finanzas',
      'Министерство финансов',
      '财政部',
      'وزارة المالية',
    ],
  },
  {
    id: 'Ministry of Foreign and European Affairs',
    kind: 'ministry',
    acronym: null,
    names: [
      'Ministry of Foreign and European Affairs',
      'Ministère des Affaires étrangères et européennes',
      'Ministerio de Asuntos Exteriores y Europeos',
      'Министерство иностранных и европейских дел',
      '外交和欧洲事务部',
      'وزارة الخارجية والشؤون الأوروبية',
    ],
  },
  {
    id: 'Government Office for National Minorities',
    kind: 'agency',
    acronym: null,
    names: [
      'Government Office for National Minorities',
      'Office gouvernemental pour les minorités nationales',
      'Oficina del Gobierno para las Minorías Nacionales',
      'Правительственное управление по делам национальных меньшинств',
      '政府少数民族事务办公室',
      'المكتب الحكومي للأقليات القومية',
    ],
  },
  {
    id: 'Human Rights Ombudsman',
    kind: 'nhri',
    acronym: null,
    names: [
      'Human Rights Ombudsman',
      'Médiateur pour les droits de l’homme',
      'Defensor de los Derechos Humanos',
      'Омбудсмен по правам человека',
      '人权监察员',
      'أمين المظالم لحقوق الإنسان',
    ],
  },
];

// As the service validates them (institutions/institution.ts), copied so this migration never changes.
const ID = /^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}.,'’&()_-]| (?! ))*$/u;
const MAX_ID = 200;
const MAX_NAME = 300;

const normalise = (text: string) =>
  text
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .trim()
    .replace(/\s+/gu, ' ');

/**
 * The directory of institutions, and actions that refer to it by id. An action's free-text
 * institution becomes the id of the entry whose id, name in any language or acronym it matches
 * (ignoring case and extra spaces); a name nothing matches becomes a new entry of kind `other`,
 * flagged for the coordinator to review, so no assignment is lost.
 */
export class Institutions1765300000000 implements MigrationInterface {
  name = 'Institutions1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE institutions (
        id text PRIMARY KEY,
        kind text NOT NULL,
        parent_id text CONSTRAINT institutions_parent_id_fkey REFERENCES institutions (id),
        name_en text NOT NULL,
        name_fr text,
        name_es text,
        name_ru text,
        name_zh text,
        name_ar text,
        acronym text,
        focal_point_ids text[] NOT NULL,
        validator_ids text[] NOT NULL,
        active boolean NOT NULL DEFAULT true,
        needs_review boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT institutions_kind
          CHECK (kind IN ('ministry', 'agency', 'parliament', 'judiciary', 'nhri', 'civil_society', 'other'))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX institutions_id_lower ON institutions (lower(id))`);
    await queryRunner.query(`CREATE INDEX institutions_parent ON institutions (parent_id)`);
    for (const entry of SEED) {
      await queryRunner.query(
        `INSERT INTO institutions (id, kind, acronym, name_en, name_fr, name_es, name_ru, name_zh, name_ar,
                                   focal_point_ids, validator_ids)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '{}', '{}')`,
        [entry.id, entry.kind, entry.acronym, ...entry.names],
      );
    }

    await queryRunner.query(`ALTER TABLE actions ADD COLUMN lead_institution_id text`);
    const texts: Array<{ institution: string }> = await queryRunner.query(
      `SELECT DISTINCT institution FROM actions WHERE institution IS NOT NULL`,
    );
    const mapping = await this.mapFreeText(
      queryRunner,
      texts.map((row) => row.institution),
    );
    await queryRunner.query(
      `UPDATE actions SET lead_institution_id = m.id
         FROM unnest($1::text[], $2::text[]) AS m (institution, id)
        WHERE actions.institution = m.institution`,
      [[...mapping.keys()], [...mapping.values()]],
    );
    await queryRunner.query(`
      ALTER TABLE actions ADD CONSTRAINT actions_lead_institution_id_fkey
        FOREIGN KEY (lead_institution_id) REFERENCES institutions (id)`);
    await queryRunner.query(`DROP INDEX actions_institution_status`);
    await queryRunner.query(`ALTER TABLE actions DROP COLUMN institution`);
    await queryRunner.query(
      `CREATE INDEX actions_lead_institution_status ON actions (lead_institution_id, status)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE actions ADD COLUMN institution text`);
    await queryRunner.query(
      `UPDATE actions SET institution = i.name_en FROM institutions i WHERE i.id = actions.lead_institution_id`,
    );
    await queryRunner.query(`DROP INDEX actions_lead_institution_status`);
    await queryRunner.query(`ALTER TABLE actions DROP COLUMN lead_institution_id`);
    await queryRunner.query(`CREATE INDEX actions_institution_status ON actions (institution, status)`);
    await queryRunner.query(`DROP TABLE institutions`);
  }

  /** Free text → directory id, creating the entries nothing matched. */
  private async mapFreeText(queryRunner: QueryRunner, texts: string[]): Promise<Map<string, string>> {
    const entries: Array<{ id: string; names: Array<string | null>; acronym: string | null }> = (
      await queryRunner.query(
        `SELECT id, ARRAY[name_en, name_fr, name_es, name_ru, name_zh, name_ar] AS names, acronym
           FROM institutions ORDER BY id`,
      )
    ).map((row: { id: string; names: Array<string | null>; acronym: string | null }) => row);
    const key = (text: string) => normalise(text).toLowerCase();
    // Strongest match first: the id, then the English name, other languages, the acronym.
    const known = new Map<string, string>();
    const learn = (text: string | null, id: string) => {
      if (text && !known.has(key(text))) known.set(key(text), id);
    };
    for (const entry of entries) learn(entry.id, entry.id);
    for (const entry of entries) learn(entry.names[0], entry.id);
    for (const entry of entries) entry.names.slice(1).forEach((name) => learn(name, entry.id));
    for (const entry of entries) learn(entry.acronym, entry.id);

    const taken = new Set(entries.map((entry) => entry.id.toLowerCase()));
    const mapping = new Map<string, string>();
    for (const text of texts) {
      const name = normalise(text).slice(0, MAX_NAME);
      if (name === '') continue;
      let id = known.get(key(text));
      if (id === undefined) {
        id = uniqueId(name, taken);
        taken.add(id.toLowerCase());
        known.set(key(text), id);
        await queryRunner.query(
          `INSERT INTO institutions (id, kind, name_en, focal_point_ids, validator_ids, needs_review)
           VALUES ($1, 'other', $2, '{}', '{}', true)`,
          [id, name],
        );
      }
      mapping.set(text, id);
    }
    return mapping;
  }
}

/** The name itself when it is a valid id, else a cleaned-up form of it; " (2)", " (3)"… when taken. */
function uniqueId(name: string, taken: ReadonlySet<string>): string {
  let base = name;
  if (!ID.test(base) || base.length > MAX_ID) {
    base = base
      .replace(/[^\p{L}\p{M}\p{N}.,'’&()_ -]/gu, '-')
      .replace(/^[^\p{L}\p{N}]+/u, '')
      .replace(/ {2,}/g, ' ')
      .slice(0, MAX_ID - 8)
      .trim();
    if (!ID.test(base)) base = 'Institution';
  }
  let id = base;
  for (let n = 2; taken.has(id.toLowerCase()); n += 1) id = `${base} (${n})`;
  return id;
}

import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { migratedDatabase, type MigratedDatabase } from '../testing/migrated-database';
import { LinksService } from '../links/links.service';
import { ScoringPool } from './scoring-pool';
import { goldTexts } from './gold/evaluate';

// Two detections of 300–378 texts: seconds on a loaded machine, beyond Jest's default 5 s.
jest.setTimeout(60_000);

/** The gold set's Slovenian recommendations, stored as they would be after an import. */
describe('incremental link detection', () => {
  let database: MigratedDatabase | undefined;
  let dataSource: DataSource;
  let links: LinksService;
  let scoring: ScoringPool;
  const ids = new Map<string, string>();

  const pairs = async () =>
    (
      (await dataSource.query(
        `SELECT a_id || ' ' || b_id || ' ' || score AS pair FROM recommendation_links
         WHERE status = 'candidate' ORDER BY 1`,
      )) as { pair: string }[]
    ).map((row) => row.pair);
  const insert = async (texts: { id: string; text: string }[], state = 'SVN') => {
    for (const { id } of texts) ids.set(id, ids.get(id) ?? randomUUID());
    await dataSource.query(
      `INSERT INTO recommendations (id, body, document_symbol, paragraph, text, state_under_review)
       SELECT x.id, 'UPR', x.symbol, x.paragraph, x.text, $2
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, symbol text, paragraph text, text text)`,
      [
        JSON.stringify(
          texts.map(({ id, text }) => {
            const [symbol, paragraph] = id.split(' ');
            return { id: ids.get(id), symbol, paragraph, text };
          }),
        ),
        state,
      ],
    );
  };

  beforeAll(async () => {
    database = await migratedDatabase('links_it');
    dataSource = database.dataSource;
    scoring = new ScoringPool();
    links = new LinksService(dataSource, scoring);
  }, 60_000);
  afterAll(async () => {
    await scoring?.onApplicationShutdown();
    await database?.drop();
  });

  it('compares only new or changed recommendations, and finds what a full sweep finds', async () => {
    const texts = goldTexts();
    const [first, later] = [texts.slice(0, 300), texts.slice(300)];
    await insert(first);
    const initial = await links.detectForStates(['SVN']);
    expect(initial).toMatchObject({ recommendations: 300, compared: 300 });
    expect(initial.candidates).toBeGreaterThan(50);

    // Nothing changed: nothing compared, nothing rewritten.
    const before = await pairs();
    expect(await links.detectForStates(['SVN'])).toMatchObject({ compared: 0, candidates: 0 });
    expect(await pairs()).toEqual(before);

    // A second import adds 78 recommendations: only they are compared with the 300.
    await insert(later);
    expect(await links.detectForStates(['SVN'])).toMatchObject({ recommendations: 378, compared: 78 });
    const added = await pairs();
    const laterIds = new Set(later.map((text) => ids.get(text.id)));
    const touching = (list: string[]) =>
      list.filter((pair) => pair.split(' ').some((id) => laterIds.has(id)));
    expect(touching(added).length).toBeGreaterThan(10);

    // The full sweep scores the new records' pairs the same way (it may rescore the older ones, whose
    // word weights moved with the 78 new texts).
    const full = await links.detect('SVN', { full: true });
    expect(full).toMatchObject({ recommendations: 378, compared: 378 });
    const swept = await pairs();
    const keys = (list: string[]) => list.map((pair) => pair.split(' ').slice(0, 2).join(' '));
    const common = keys(touching(swept)).filter((key) => keys(touching(added)).includes(key));
    expect(common.length / touching(swept).length).toBeGreaterThan(0.9);

    // A changed text is compared again; its old candidates go.
    const changed = ids.get(first[0].id) as string;
    await dataSource.query(`UPDATE recommendations SET text = 'Abolish the death penalty' WHERE id = $1`, [
      changed,
    ]);
    expect(await links.detectForStates(['SVN'])).toMatchObject({ compared: 1 });
    expect((await pairs()).filter((pair) => pair.includes(changed))).toEqual([]);
  });

  it('records one audit record per detection, not one per link', async () => {
    const [{ records }] = await dataSource.query(
      `SELECT count(*)::int AS records FROM audit_record WHERE entity = 'recommendation_links'`,
    );
    const [{ detections }] = await dataSource.query(
      `SELECT count(*)::int AS detections FROM audit_record
       WHERE entity = 'recommendation_links' AND action LIKE 'links.detected%'`,
    );
    expect(detections).toBeGreaterThanOrEqual(4);
    expect(records).toBe(detections);
  });

  it('keeps a decided link as decided, rescored in place, when detection finds its pair again', async () => {
    const [link]: { id: string; a: string; score: number }[] = await dataSource.query(
      `SELECT id, a_id AS a, score FROM recommendation_links WHERE status = 'candidate'
       ORDER BY score DESC, id LIMIT 1`,
    );
    await links.decide(link.id, 'rejected', 'coordinator', 'not the same ask');
    const decided = async () =>
      (
        await dataSource.query(
          `SELECT l.status, l.score, l.note, (SELECT count(*)::int FROM recommendation_links p
             WHERE p.a_id = l.a_id AND p.b_id = l.b_id) AS rows
           FROM recommendation_links l WHERE l.id = $1`,
          [link.id],
        )
      )[0];
    const expected = { status: 'rejected', score: link.score, note: 'not the same ask', rows: 1 };

    await dataSource.query(`UPDATE recommendation_links SET score = 0 WHERE id = $1`, [link.id]);
    await links.detect('SVN', { full: true });
    expect(await decided()).toEqual(expected);

    // The same when only one side of the pair is compared again.
    await dataSource.query(`UPDATE recommendation_links SET score = 0 WHERE id = $1`, [link.id]);
    await dataSource.query(`DELETE FROM recommendation_link_checks WHERE recommendation_id = $1`, [link.a]);
    expect(await links.detectForStates(['SVN'])).toMatchObject({ compared: 1 });
    expect(await decided()).toEqual(expected);
  });

  it("takes a deleted record's links with it, and a deletion waits for its State's detection", async () => {
    const [{ a_id: deleted }]: { a_id: string }[] = await dataSource.query(
      `SELECT a_id FROM recommendation_links ORDER BY score DESC, id LIMIT 1`,
    );
    const linksOf = async (id: string) =>
      (
        await dataSource.query(
          `SELECT count(*)::int AS n FROM recommendation_links WHERE a_id = $1 OR b_id = $1`,
          [id],
        )
      )[0].n as number;
    expect(await linksOf(deleted)).toBeGreaterThan(0);

    // A detection of SVN holds the State's lock: the deletion waits for it to commit.
    const detection = dataSource.createQueryRunner();
    await detection.connect();
    await detection.startTransaction();
    await detection.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['recommendations.links.SVN']);
    let finished = false;
    const deletion = dataSource
      .query(`DELETE FROM recommendations WHERE id = $1`, [deleted])
      .then(() => (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(finished).toBe(false);
    await detection.commitTransaction();
    await detection.release();
    await deletion;
    expect(await linksOf(deleted)).toBe(0);

    // A hand-made link to a record that is gone is refused.
    const [{ id: other }] = await dataSource.query(`SELECT id FROM recommendations LIMIT 1`);
    await expect(links.linkByHand(deleted, other, 'coordinator')).rejects.toThrow(/must exist/);

    await dataSource.query(`TRUNCATE recommendations CASCADE`);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM recommendation_links`)).toEqual([{ n: 0 }]);
  });
});

import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { migratedDatabase, type MigratedDatabase } from '../testing/migrated-database';
import { themeKeysMatching } from '../taxonomy';
import { FACETS, searchOrder, searchWhere, type SearchFilters } from './search-filters';
import { SearchService } from './search.service';

jest.setTimeout(60_000);

const TEXTS = [
  'Ratify the Optional Protocol to the Convention against Torture',
  'Combat domestic violence against women and girls',
  'Ensure inclusive education for Roma children',
  'Investigate allegations of torture by the police',
  'Protect the rights of migrant workers and their families',
  'Strengthen the national human rights institution in line with the Paris Principles',
];
const STATES = ['SVN', 'HRV', 'AUT', null];
const THEMES = [['torture'], ['women', 'violence'], ['education', 'roma'], [], ['torture', 'police']];
const GOALS = [['16'], ['5', '16'], [], ['4']];

/** Recommendations varied enough that every filter and facet splits them. */
const records = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    mechanism: ['upr', 'treaty_body', 'special_procedure'][i % 3],
    body: ['UPR', 'CAT', 'SR on torture'][i % 3],
    bodies: i % 3 === 2 && i % 2 === 0 ? ['SR on torture', 'WG on Arbitrary Detention'] : [],
    type: i % 4 === 3 ? 'observation' : 'recommendation',
    document_symbol: `DOC/${i % 5}`,
    paragraph: `${100 + (i % 7)}.${i}`,
    text: `${TEXTS[i % TEXTS.length]} (${i})`,
    state_under_review: STATES[i % STATES.length],
    upr_cycle: i % 3 === 0 ? 1 + (i % 4) : null,
    upr_session: i % 3 === 0 ? 10 + (i % 5) : null,
    published_on: `20${10 + (i % 12)}-0${1 + (i % 9)}-15`,
    position: ['supported', 'noted', 'pending'][i % 3],
    themes: THEMES[i % THEMES.length],
    groups: i % 2 ? ['children'] : ['women', 'children'],
    sdg_goals: GOALS[i % GOALS.length],
    sdg_targets: GOALS[i % GOALS.length].map((goal) => `${goal}.${1 + (i % 3)}`),
    recommending_states: i % 3 === 0 ? [['France', 'Chile'], ['Chile']][(i / 3) % 2] : [],
    implementation_status: ['not_started', 'in_progress', 'implemented'][i % 3],
    published: i % 2 === 0,
  }));

describe('the search table', () => {
  let database: MigratedDatabase | undefined;
  let dataSource: DataSource;
  let search: SearchService;

  const insert = (rows: ReturnType<typeof records>) =>
    dataSource.query(
      `INSERT INTO recommendations (id, mechanism, body, bodies, type, document_symbol, paragraph, text,
         state_under_review, upr_cycle, upr_session, published_on, position, themes, groups, sdg_goals,
         sdg_targets, recommending_states, implementation_status, published)
       SELECT id, mechanism, body, bodies, type, document_symbol, paragraph, text, state_under_review,
              upr_cycle, upr_session, published_on, position, themes, groups, sdg_goals, sdg_targets,
              recommending_states, implementation_status, published
         FROM jsonb_populate_recordset(NULL::recommendations, $1::jsonb)`,
      [JSON.stringify(rows)],
    );
  /** Rows of the search table that differ from what the catalogue says they should be, both ways. */
  const stale = async () =>
    Number(
      (
        await dataSource.query(
          `SELECT count(*) AS n FROM (
             (TABLE recommendation_search EXCEPT ALL TABLE recommendation_search_source)
             UNION ALL (TABLE recommendation_search_source EXCEPT ALL TABLE recommendation_search)) d`,
        )
      )[0].n,
    );
  const searchRows = async () =>
    Number((await dataSource.query(`SELECT count(*) AS n FROM recommendation_search`))[0].n);

  beforeAll(async () => {
    database = await migratedDatabase('search_it');
    dataSource = database.dataSource;
    search = new SearchService(dataSource);
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
  });
  beforeEach(() => dataSource.query(`TRUNCATE recommendations CASCADE`));

  it('follows every insert, update, delete and truncation of the catalogue', async () => {
    const rows = records(30);
    await insert(rows);
    expect([await searchRows(), await stale()]).toEqual([30, 0]);

    // Values no recommendation had before (a new State, theme, body) get codes of their own.
    await dataSource.query(
      `UPDATE recommendations SET themes = themes || '{climate}', state_under_review = 'NZL', body = 'CEDAW',
              bodies = '{CEDAW,CRC}' WHERE id = ANY($1::uuid[])`,
      [rows.slice(0, 5).map((row) => row.id)],
    );
    // Each column search reads, changed alone.
    for (const [i, change] of [
      `themes = '{housing}'`,
      `groups = '{}'`,
      `sdg_goals = '{1}', sdg_targets = '{1.4}'`,
      `recommending_states = '{Peru}'`,
      `implementation_status = 'implemented'`,
      `published = NOT published`,
      `published_on = NULL`,
      `upr_cycle = 4, upr_session = 44`,
      `position = 'noted'`,
      `document_symbol = 'DOC/9', paragraph = '1.1'`,
    ].entries()) {
      await dataSource.query(`UPDATE recommendations SET ${change} WHERE id = $1`, [rows[10 + i].id]);
    }
    await dataSource.query(`UPDATE recommendations SET text = 'Abolish the death penalty' WHERE id = $1`, [
      rows[6].id,
    ]);
    expect(await stale()).toBe(0);
    const [{ found }] = await dataSource.query(
      `SELECT count(*)::int AS found FROM recommendation_search
        WHERE search_vector @@ to_tsquery('english', 'penalty')`,
    );
    expect(found).toBe(1);

    // A column search does not read: the search row is not rewritten.
    const [before] = await dataSource.query(`SELECT xmin::text FROM recommendation_search WHERE id = $1`, [
      rows[7].id,
    ]);
    await dataSource.query(`UPDATE recommendations SET position_justification = 'because' WHERE id = $1`, [
      rows[7].id,
    ]);
    expect(
      await dataSource.query(`SELECT xmin::text FROM recommendation_search WHERE id = $1`, [rows[7].id]),
    ).toEqual([before]);

    await dataSource.query(`DELETE FROM recommendations WHERE id = ANY($1::uuid[])`, [
      rows.slice(20).map((row) => row.id),
    ]);
    expect([await searchRows(), await stale()]).toEqual([20, 0]);

    // A writer's rollback takes its search rows with it.
    await dataSource
      .transaction(async (manager) => {
        await manager.query(`DELETE FROM recommendations`);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect([await searchRows(), await stale()]).toEqual([20, 0]);

    await dataSource.query(`TRUNCATE recommendations CASCADE`);
    expect(await searchRows()).toBe(0);
  });

  it('answers every filter as the catalogue itself does: same ids, order, total, facet counts and export', async () => {
    await insert(records(60));
    const cases: SearchFilters[] = [
      {},
      { q: 'torture' },
      { q: 'torture', state: ['svn'], cycle: [1, 2] },
      { mechanism: ['treaty_body'], position: ['pending'] },
      { body: ['cat', 'UPR'] },
      { theme: ['women'], group: ['children'] },
      { sdg: ['16'] },
      { sdg: ['4', '5.2'] },
      { sdg: ['16.1'] },
      { recommendingState: ['Chile'] },
      { type: ['observation'], implementationStatus: ['implemented', 'in_progress'] },
      { publishedFrom: '2012-01-01', publishedTo: '2016-12-31', published: true },
      { documentSymbol: ['DOC/1', 'DOC/3'], session: [10, 11] },
      { state: ['XXX'] },
      { theme: ['no-such-theme'] },
    ];
    for (const filters of cases) {
      const found = await search.search(filters, {
        limit: 7,
        offset: 2,
        sort: 'relevance',
        facets: true,
        facetLimit: 3,
      });
      const { where, params, tsquery } = searchWhere(filters, themeKeysMatching);
      const ids = (
        await dataSource.query(
          `SELECT r.id FROM recommendations r WHERE ${where} ORDER BY ${searchOrder('relevance', tsquery)}`,
          params,
        )
      ).map((row: { id: string }) => row.id);
      const facets: Record<string, { value: string; count: number }[]> = {};
      for (const [name, { column, array }] of Object.entries(FACETS)) {
        facets[name] = await dataSource.query(
          `SELECT v AS value, count(*)::int AS count
             FROM (SELECT ${array ? `unnest(r.${column})` : `r.${column}`}::text AS v FROM recommendations r WHERE ${where}) x
            WHERE v IS NOT NULL GROUP BY v ORDER BY count(*) DESC, v LIMIT 3`,
          params,
        );
      }
      const exported: string[] = [];
      for await (const rows of search.export(filters, 'relevance'))
        exported.push(...rows.map((row) => row.id));
      expect({
        filters,
        total: found.total,
        ids: found.items.map((item) => item.id),
        facets: found.facets,
        exported,
      }).toEqual({ filters, total: ids.length, ids: ids.slice(2, 9), facets, exported: ids });
    }
  });

  it('finds a joint Special Procedures text by each of its mandates, whatever their case', async () => {
    const rows = records(6);
    await insert(rows);
    const joint = rows.filter((row) => row.bodies.length > 1).map((row) => row.id);
    expect(joint).toHaveLength(1);
    const byBody = async (body: string) => {
      const found = await search.search(
        { body: [body] },
        { limit: 10, offset: 0, sort: 'document', facets: true },
      );
      const exported: string[] = [];
      for await (const page of search.export({ body: [body] }, 'document')) {
        exported.push(...page.map((row) => row.id));
      }
      return { found: found.items.map((item) => item.id), exported, facet: found.facets?.body };
    };
    expect(await byBody('wg on arbitrary detention')).toEqual({
      found: joint,
      exported: joint,
      // Counted under the body it is filed under.
      facet: [{ value: 'SR on torture', count: 1 }],
    });
    const first = await byBody('SR ON TORTURE');
    expect(first.found).toHaveLength(2);
    expect(first.found).toEqual(expect.arrayContaining(joint));
    expect(first.exported).toEqual(first.found);
  });
});

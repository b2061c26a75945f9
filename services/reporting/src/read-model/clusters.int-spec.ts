import { RecommendationPosition, type PayloadInit } from '@nmirf/contracts';
import type { Principal } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DashboardsService } from '../dashboards/dashboards.service';
import { startReportingFixture, type ReportingFixture } from '../testing/reporting-fixture';

jest.setTimeout(60_000);

const coordinator: Principal = {
  subject: randomUUID(),
  name: 'test',
  kind: 'user',
  roles: new Set(['coordinator']) as Principal['roles'],
  institutions: [],
  scopes: new Set(),
};

describe('reporting: national clusters in the read model and the dashboards (real PostgreSQL)', () => {
  let fixture: ReportingFixture;
  let dashboards: DashboardsService;
  const [first, second, late] = [randomUUID(), randomUUID(), randomUUID()];
  const [justice, women] = [randomUUID(), randomUUID()];

  const created = (recommendationId: string, paragraph: string): PayloadInit<'recommendationCreated'> => ({
    recommendationId,
    mechanism: 'UPR',
    documentSymbol: 'A/HRC/43/15',
    paragraph,
    text: 'Ratify the Convention',
    recommendingStates: ['Chile'],
    position: RecommendationPosition.SUPPORTED,
    mechanismKind: 'upr',
    stateUnderReview: 'SVN',
    uprCycle: 3,
    uprSession: 34,
    themes: [],
    sdgTargets: [],
    annotationId: '',
    version: 1,
  });
  const clusterChanged = (clusterId: string, change: Partial<PayloadInit<'clusterChanged'>>) =>
    fixture.feed('clusterChanged', clusterId, {
      clusterId,
      name: clusterId === justice ? 'Access to justice' : 'Women’s rights',
      basis: 'custom',
      addedRecommendationIds: [],
      removedRecommendationIds: [],
      deleted: false,
      ...change,
    });
  const clustersOf = async () =>
    Object.fromEntries(
      (
        await fixture.dataSource.query(
          `SELECT id, clusters FROM recommendation_view WHERE id = ANY ($1::uuid[])`,
          [[first, second, late]],
        )
      ).map((row: { id: string; clusters: string[] }) => [row.id, [...row.clusters].sort()]),
    );
  const byCluster = async () =>
    Object.fromEntries(
      (await dashboards.recommendationCounts('cluster', {}, coordinator)).groups.map((group) => [
        group.key,
        group.total.count,
      ]),
    );

  beforeAll(async () => {
    fixture = await startReportingFixture();
    dashboards = new DashboardsService(fixture.dataSource);
    await fixture.feed('recommendationCreated', first, created(first, '121.1'));
    await fixture.feed('recommendationCreated', second, created(second, '121.2'));
  });
  afterAll(() => fixture?.close());

  it('gives recommendations their clusters, also one whose cluster came before it, and counts them', async () => {
    await clusterChanged(justice, { addedRecommendationIds: [first, second, late] });
    await clusterChanged(women, { addedRecommendationIds: [second] });
    // The third recommendation's cluster overtook it on the topic.
    await fixture.feed('recommendationCreated', late, created(late, '121.3'));
    expect(await clustersOf()).toEqual({
      [first]: [justice],
      [second]: [justice, women].sort(),
      [late]: [justice],
    });
    expect(await byCluster()).toEqual({ [justice]: 3, [women]: 1 });
    expect(await fixture.dataSource.query(`SELECT name FROM cluster_view ORDER BY name`)).toEqual([
      { name: 'Access to justice' },
      { name: 'Women’s rights' },
    ]);
  });

  it('takes a member out, and a deleted cluster out of every recommendation and count', async () => {
    await clusterChanged(justice, { removedRecommendationIds: [first] });
    expect(await clustersOf()).toMatchObject({ [first]: [], [late]: [justice] });
    expect(await byCluster()).toEqual({ [justice]: 2, [women]: 1 });

    await clusterChanged(justice, { deleted: true });
    expect(await clustersOf()).toEqual({ [first]: [], [second]: [women], [late]: [] });
    expect(await byCluster()).toEqual({ [women]: 1 });
    // The counters agree with a recount from the rows.
    const before = await fixture.dataSource.query(
      `SELECT key, status, n FROM dashboard_count WHERE dimension = 'cluster' AND n <> 0 ORDER BY 1, 2`,
    );
    await fixture.dataSource.query(`SELECT rebuild_dashboard_counts()`);
    expect(
      await fixture.dataSource.query(
        `SELECT key, status, n FROM dashboard_count WHERE dimension = 'cluster' AND n <> 0 ORDER BY 1, 2`,
      ),
    ).toEqual(before);
  });
});

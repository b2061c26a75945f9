import {
  ActionStatus,
  ImplementationStatus,
  RecommendationPosition,
  timestampFromDate,
  type PayloadInit,
} from '@nmirf/contracts';
import type { Principal } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { startReportingFixture, type ReportingFixture } from '../testing/reporting-fixture';
import { DashboardsService } from './dashboards.service';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const JUSTICE = 'ministry-of-justice';
const HEALTH = 'ministry-of-health';

const person = (roles: string[], institutions: string[]): Principal => ({
  subject: randomUUID(),
  name: 'someone',
  kind: 'user',
  roles: new Set(roles) as Principal['roles'],
  institutions,
  scopes: new Set(),
});
const coordinator = person(['coordinator'], []);
// Token claims match directory ids whatever their case.
const justiceFocal = person(['focal_point'], ['Ministry-of-Justice']);
const healthFocal = person(['focal_point'], [HEALTH]);
const educationFocal = person(['focal_point'], ['ministry-of-education']);

describe('dashboards on the read model (real PostgreSQL)', () => {
  let fixture: ReportingFixture;
  let dashboards: DashboardsService;
  /** The same queries counting rows wherever a caller acts for several institutions (no groups). */
  let rowCounting: DashboardsService;
  const now = new Date();
  const [r1, r2, r3] = [randomUUID(), randomUUID(), randomUUID()];
  const [a1, a2, a3] = [randomUUID(), randomUUID(), randomUUID()];
  const [published, draft] = [randomUUID(), randomUUID()];

  const recommendation = (
    id: string,
    fields: Partial<PayloadInit<'recommendationCreated'>>,
  ): PayloadInit<'recommendationCreated'> => ({
    recommendationId: id,
    mechanism: 'UPR',
    documentSymbol: 'A/HRC/43/15',
    paragraph: '140.1',
    text: 'Ratify',
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
    ...fields,
  });
  const action = (
    id: string,
    fields: Partial<PayloadInit<'actionChanged'>>,
  ): PayloadInit<'actionChanged'> => ({
    actionId: id,
    planId: '',
    title: `Action ${id.slice(0, 4)}`,
    description: '',
    leadInstitutionId: JUSTICE,
    supportingInstitutionIds: [],
    recommendationIds: [r1],
    sdgTargets: [],
    startDate: '',
    milestones: [],
    budgetLine: '',
    status: ActionStatus.ASSIGNED,
    version: 2,
    ...fields,
  });
  const plan = (id: string, isPublished: boolean, deleted = false): PayloadInit<'planChanged'> => ({
    planId: id,
    state: 'SVN',
    title: 'Plan',
    kind: 'upr_cycle',
    periodStart: '2025-01-01',
    periodEnd: '2029-12-31',
    published: isPublished,
    version: 1,
    deleted,
  });
  const statusChanged = (id: string, status: ImplementationStatus, at: Date) =>
    fixture.feed(
      'recommendationImplementationStatusChanged',
      id,
      {
        recommendationId: id,
        status,
        previousStatus: ImplementationStatus.NOT_STARTED,
        derivedStatus: status,
        overridden: false,
        justification: '',
      },
      at,
    );
  /** Each counted key's total and counts per status as the trigger on dashboard_count keeps them, and as its counters sum. */
  const keyTotals = async () => {
    const [kept, summed] = await Promise.all([
      fixture.dataSource.query(
        `SELECT subject, scope, dimension, public, key, n::int, statuses FROM dashboard_key_total WHERE n <> 0
          ORDER BY 1, 2, 3, 4, 5`,
      ),
      fixture.dataSource.query(
        `SELECT subject, scope, dimension, public, key, sum(n)::int AS n,
                jsonb_object_agg(status, n) FILTER (WHERE n <> 0) AS statuses
           FROM (SELECT subject, scope, dimension, public, key, status, sum(n)::int AS n FROM dashboard_count
                  GROUP BY 1, 2, 3, 4, 5, 6) c
          GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5`,
      ),
    ]);
    expect(kept).toEqual(summed);
    return kept;
  };
  const counters = async () => [
    await keyTotals(),
    await fixture.dataSource.query(
      `SELECT subject, scope, dimension, key, status, public, n::int FROM dashboard_count WHERE n <> 0
        ORDER BY 1, 2, 3, 4, 5, 6`,
    ),
    await fixture.dataSource.query(
      `SELECT scope, recommendation_id, actions FROM institution_recommendation WHERE actions <> 0 ORDER BY 1, 2`,
    ),
    await fixture.dataSource.query(
      `SELECT scope, day::text, public, n::int FROM open_action_due_day WHERE n <> 0 ORDER BY 1, 2, 3`,
    ),
    await fixture.dataSource.query(
      `SELECT scope, month::text, n::int FROM progress_report_month WHERE n <> 0 ORDER BY 1, 2`,
    ),
    await fixture.dataSource.query(
      `SELECT month::text, status, delta::int FROM implementation_status_month WHERE delta <> 0 ORDER BY 1, 2`,
    ),
    await fixture.dataSource.query(
      `SELECT scope, public, month::text, status, delta::int FROM implementation_status_scope_month
        WHERE delta <> 0 ORDER BY 1, 2, 3, 4`,
    ),
    await fixture.dataSource.query(
      `SELECT dimension, key, by_dimension, by_key, status, public, n::int FROM recommendation_pair_count
        WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    ),
    await fixture.dataSource.query(
      `SELECT scope, dimension, key, by_dimension, by_key, status, public, n::int FROM institution_pair_count
        WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
    ),
  ];
  /** The rows of a list (long enough to hold them all), which its total must match. */
  const rowsOf = async (listed: Promise<{ items: unknown[]; total: number }>) => {
    const { items, total } = await listed;
    expect(total).toBe(items.length);
    return items.length;
  };
  const [from, to] = [new Date('2025-12-01'), new Date('2026-04-30')];
  /** A caller's deadlines, series, breakdowns and drills, through a service. */
  const series = async (caller: Principal | undefined, service = dashboards) => ({
    drills: await Promise.all(
      [{ sdgGoal: '5' }, { theme: 'ratification', implementationStatus: 'in_progress' }, { cycle: 3 }].map(
        async (filter) => (await service.recommendationCounts('mechanism', filter, caller, now)).groups,
      ),
    ),
    crosswalk: [
      (await service.recommendationCounts('sdg_goal', { theme: 'ratification' }, caller, now)).groups,
      (await service.recommendationCounts('theme', { sdgGoal: '5' }, caller, now)).groups,
      (
        await service.recommendationCounts(
          'sdg_goal',
          { theme: 'ratification', implementationStatus: 'in_progress' },
          caller,
          now,
        )
      ).groups,
    ],
    deadlines: await service
      .deadlines({}, caller, now)
      .then((found) => [found.overdue, found.dueIn30Days, found.dueIn60Days, found.dueIn90Days]),
    implementation: (await service.implementationSeries(from, to, caller)).months,
    progress: caller ? (await service.progressSeries(from, to, caller)).months : [],
    actions: await Promise.all(
      (['status', 'lead_institution', 'sdg_goal', 'plan'] as const).map((by) =>
        service.actionCounts(by, {}, caller, now).then(({ total, groups }) => ({ total, groups })),
      ),
    ),
    recommendations: await Promise.all(
      (['implementation_status', 'mechanism', 'theme', 'cluster'] as const).map((by) =>
        service.recommendationCounts(by, {}, caller, now).then(({ total, groups }) => ({ total, groups })),
      ),
    ),
  });
  /**
   * Deadlines, series and drills of a caller who reads counters, against the same numbers counted
   * from the rows: for a focal point, as one who also acts for a ministry with no work; for the
   * public's drills, each cell against the list behind it.
   */
  const expectCountersToMatchRows = async () => {
    for (const institution of [JUSTICE, HEALTH, 'ministry-of-education']) {
      const alone = person(['focal_point'], [institution.toUpperCase()]);
      const withNothing = person(['focal_point'], [institution, 'ministry-of-nothing']);
      expect({ institution, ...(await series(alone)) }).toEqual({
        institution,
        ...(await series(withNothing, rowCounting)),
      });
    }
    // Justice and Health together (they share a1): the group's counters against their rows.
    const both = person(['focal_point'], [HEALTH, JUSTICE.toUpperCase()]);
    await dashboards.prepareScope(both);
    expect(
      await fixture.dataSource.query(
        `SELECT g.counted_chunks, count(c.*)::int > 0 AS counted FROM dashboard_scope_group g
           LEFT JOIN dashboard_count c ON c.scope = g.scope WHERE g.scope = $1 GROUP BY 1`,
        [`{${HEALTH},${JUSTICE}}`],
      ),
    ).toEqual([{ counted_chunks: 64, counted: true }]);
    expect(await series(both)).toEqual(await series(both, rowCounting));
    // The coordinator's deadlines and progress against everyone's institutions counted from the rows.
    const everyone = person(
      ['focal_point'],
      [JUSTICE, HEALTH, 'ministry-of-education', 'ministry-of-nothing'],
    );
    const [all, rows] = [await series(coordinator), await series(everyone, rowCounting)];
    expect({ deadlines: all.deadlines, progress: all.progress, drills: all.drills }).toEqual({
      deadlines: rows.deadlines,
      progress: rows.progress,
      drills: rows.drills,
    });
    const page = { limit: 500, offset: 0 };
    for (const caller of [coordinator, undefined, both]) {
      const deadlines = await dashboards.deadlines({}, caller, now);
      for (const window of [deadlines.overdue, deadlines.dueIn30Days, deadlines.dueIn90Days])
        expect({ query: window.query, count: window.count }).toEqual({
          query: window.query,
          count: await rowsOf(dashboards.listActions(window.query, page, caller, now)),
        });
      // Actions of a lead institution, plan or SDG goal by another of these, each cell against its list.
      for (const [filter, by] of [
        [{ leadInstitution: JUSTICE.toUpperCase() }, 'sdg_goal'],
        [{ leadInstitution: HEALTH }, 'plan'],
        [{ sdgGoal: '16', status: 'in_progress' }, 'lead_institution'],
        [{ planId: published }, 'sdg_goal'],
        [{ sdgGoal: '5' }, 'plan'],
      ] as const) {
        const drill = await dashboards.actionCounts(by, filter, caller, now);
        if (caller && 'leadInstitution' in filter)
          expect({ filter, by, groups: drill.groups.length > 0 }).toEqual({ filter, by, groups: true });
        for (const cell of drill.groups.flatMap((group) => Object.values(group.byStatus)))
          expect({ query: cell.query, count: cell.count }).toEqual({
            query: cell.query,
            count: await rowsOf(dashboards.listActions(cell.query, page, caller, now)),
          });
        expect(drill.total.count).toBe(
          await rowsOf(dashboards.listActions(drill.total.query, page, caller, now)),
        );
      }
      for (const [filter, by] of [
        [{ sdgGoal: '5' }, 'mechanism'],
        [{ theme: 'ratification' }, 'sdg_goal'],
        [{ theme: 'ratification' }, 'sdg_target'],
        [{ sdgGoal: '5' }, 'sdg_target'],
        [{ mechanismKind: 'upr' }, 'sdg_target'],
        [{ mechanism: 'UPR', implementationStatus: 'in_progress' }, 'theme'],
        [{ cycle: 3 }, 'mechanism_kind'],
        [{ sdgTarget: '5.1' }, 'cycle'],
      ] as const) {
        const drill = await dashboards.recommendationCounts(by, filter, caller, now);
        const cells = drill.groups.flatMap((group) => Object.values(group.byStatus));
        expect(cells.length).toBeGreaterThan(0);
        for (const cell of cells)
          expect({ query: cell.query, count: cell.count }).toEqual({
            query: cell.query,
            count: await rowsOf(dashboards.listRecommendations(cell.query, page, caller)),
          });
      }
    }
  };

  beforeAll(async () => {
    fixture = await startReportingFixture();
    dashboards = new DashboardsService(fixture.dataSource);
    rowCounting = new DashboardsService(fixture.dataSource, 0);
    const { feed } = fixture;
    const january = new Date('2026-01-10T10:00:00Z');
    await feed(
      'recommendationCreated',
      r1,
      recommendation(r1, { themes: ['ratification'], sdgTargets: ['16.3', '5.1'] }),
      january,
    );
    await feed(
      'recommendationCreated',
      r2,
      recommendation(r2, {
        mechanism: 'CEDAW',
        mechanismKind: 'treaty_body',
        uprCycle: 0,
        sdgTargets: ['5.1'],
      }),
      january,
    );
    await feed('recommendationCreated', r3, recommendation(r3, { paragraph: '140.2' }), january);
    // The coordinator publishes r1: RecommendationUpdated carries the flag.
    await feed(
      'recommendationUpdated',
      r1,
      {
        ...recommendation(r1, { themes: ['ratification'], sdgTargets: ['16.3', '5.1'] }),
        changedFields: ['published'],
        positionJustification: '',
        published: true,
      },
      january,
    );
    await statusChanged(r1, ImplementationStatus.IN_PROGRESS, new Date('2026-02-03T10:00:00Z'));
    await statusChanged(r3, ImplementationStatus.IMPLEMENTED, new Date('2026-03-03T10:00:00Z'));
    await feed('planChanged', published, plan(published, true));
    await feed('planChanged', draft, plan(draft, false));
    // a1: Justice leads, Health supports, overdue, in the published plan, serving r1 and r2.
    await feed(
      'actionChanged',
      a1,
      action(a1, {
        planId: published,
        supportingInstitutionIds: [HEALTH],
        recommendationIds: [r1, r2],
        sdgTargets: ['16.3', '5.1'],
        status: ActionStatus.IN_PROGRESS,
        dueAt: timestampFromDate(new Date(now.getTime() - 5 * DAY)),
      }),
    );
    // a2: Health leads, due in 20 days, in the draft plan.
    await feed(
      'actionChanged',
      a2,
      action(a2, {
        planId: draft,
        leadInstitutionId: HEALTH,
        recommendationIds: [r2],
        dueAt: timestampFromDate(new Date(now.getTime() + 20 * DAY)),
      }),
    );
    // a3: Justice leads, due in 70 days, no plan.
    await feed(
      'actionChanged',
      a3,
      action(a3, {
        recommendationIds: [r3],
        status: ActionStatus.ACKNOWLEDGED,
        dueAt: timestampFromDate(new Date(now.getTime() + 70 * DAY)),
      }),
    );
    await feed(
      'progressReportTransitioned',
      randomUUID(),
      {
        reportId: randomUUID(),
        actionId: a1,
        institutionId: HEALTH,
        transition: 'progress_report.submitted.v1',
        status: 'submitted',
        final: false,
        percentage: 40,
        comments: '',
        version: 2,
      },
      new Date('2026-02-15T10:00:00Z'),
    );
  });
  afterAll(async () => {
    await dashboards?.onModuleDestroy();
    await fixture?.close();
  });

  it('counts the coordinator’s actions by lead institution, each number with the filter of its list', async () => {
    const counts = await dashboards.actionCounts('lead_institution', {}, coordinator, now);
    expect(counts.total.count).toBe(3);
    expect(counts.groups.map((group) => [group.key, group.total.count])).toEqual([
      [JUSTICE, 2],
      [HEALTH, 1],
    ]);
    const justice = counts.groups[0];
    expect(justice.total.query).toEqual({ leadInstitution: JUSTICE });
    expect(justice.byStatus.in_progress).toEqual({
      count: 1,
      query: { leadInstitution: JUSTICE, status: 'in_progress' },
    });
    // The list behind a number holds exactly what it counted.
    const listed = await dashboards.listActions(
      justice.byStatus.in_progress.query,
      { limit: 50, offset: 0 },
      coordinator,
      now,
    );
    expect(listed).toMatchObject({ total: 1, items: [{ id: a1, leadInstitutionId: JUSTICE }] });
    const byInstitution = await dashboards.actionCounts('institution', {}, coordinator, now);
    expect(byInstitution.groups.map((group) => [group.key, group.total.count])).toEqual([
      [HEALTH, 2],
      [JUSTICE, 2],
    ]);
  });

  it('answers the same from the counters as from counting the rows', async () => {
    // Someone acting for every institution counts rows; the coordinator reads the counters.
    const everyone = person(['focal_point'], [JUSTICE, HEALTH]);
    for (const by of [
      'lead_institution',
      'supporting_institution',
      'institution',
      'sdg_goal',
      'sdg_target',
      'plan',
    ] as const) {
      const fromCounters = await dashboards.actionCounts(by, {}, coordinator, now);
      const fromRows = await rowCounting.actionCounts(by, {}, everyone, now);
      expect(fromRows.scope).toBe('institutions');
      const shape = (counts: typeof fromRows) =>
        counts.groups
          .filter((group) => group.key !== '')
          .map((group) => [group.key, group.total.count, group.byStatus]);
      expect({ by, groups: shape(fromRows) }).toEqual({ by, groups: shape(fromCounters) });
      expect(fromRows.total).toEqual(fromCounters.total);
    }
    // One institution's own counters against counting its rows (a second institution with no work
    // forces the count).
    const healthAndNothing = person(['focal_point'], [HEALTH, 'ministry-of-nothing']);
    for (const by of ['status', 'lead_institution', 'institution', 'sdg_target', 'plan'] as const) {
      const fromCounters = await dashboards.actionCounts(by, {}, healthFocal, now);
      const fromRows = await rowCounting.actionCounts(by, {}, healthAndNothing, now);
      expect({ by, groups: fromCounters.groups, total: fromCounters.total }).toEqual({
        by,
        groups: fromRows.groups,
        total: fromRows.total,
      });
    }
    for (const by of ['implementation_status', 'mechanism', 'sdg_goal', 'theme'] as const) {
      const fromCounters = await dashboards.recommendationCounts(by, {}, healthFocal, now);
      const fromRows = await rowCounting.recommendationCounts(by, {}, healthAndNothing, now);
      expect({ by, groups: fromCounters.groups, total: fromCounters.total }).toEqual({
        by,
        groups: fromRows.groups,
        total: fromRows.total,
      });
    }
    const before = await counters();
    await fixture.dataSource.query(`SELECT rebuild_dashboard_counts()`);
    expect(await counters()).toEqual(before);
  });

  it('answers a status breakdown of one counted key from the counters as the list behind it counts', async () => {
    // Lists long enough to hold every row: a list's total may come from the counters too.
    const page = { limit: 500, offset: 0 };
    const actionFilters = [
      { leadInstitution: JUSTICE.toUpperCase() },
      { leadInstitution: HEALTH, status: 'in_progress' },
      { institution: 'Ministry-of-Health' },
      { sdgGoal: '16' },
      { sdgTarget: '16.3' },
      ...(await dashboards.actionCounts('plan', {}, coordinator, now)).groups.map(
        (group) => group.total.query,
      ),
    ];
    for (const caller of [coordinator, undefined])
      for (const filter of actionFilters) {
        const counts = await dashboards.actionCounts('status', filter, caller, now);
        const listed = await rowsOf(dashboards.listActions(filter, page, caller, now));
        expect({ filter, total: counts.total.count }).toEqual({ filter, total: listed });
        for (const [status, cell] of Object.entries(counts.byStatus))
          expect({ filter, status, count: cell.count }).toEqual({
            filter,
            status,
            count:
              filter.status && filter.status !== status
                ? 0
                : await rowsOf(dashboards.listActions({ ...filter, status }, page, caller, now)),
          });
      }
    const recommendationFilters = [
      { theme: 'ratification' },
      { sdgGoal: '5' },
      { sdgTarget: '16.3', implementationStatus: 'in_progress' },
      { mechanism: 'UPR' },
      { cycle: 3 },
      { cycle: 0 },
      { institution: JUSTICE.toUpperCase() },
    ];
    for (const caller of [coordinator, undefined, healthFocal])
      for (const filter of recommendationFilters) {
        const counts = await dashboards.recommendationCounts('implementation_status', filter, caller, now);
        const listed = await rowsOf(dashboards.listRecommendations(filter, page, caller));
        expect({ filter, total: counts.total.count }).toEqual({ filter, total: listed });
      }
  });

  it('scopes a focal point to the actions their institutions lead or support, and another ministry to none', async () => {
    const justice = await dashboards.actionCounts('status', {}, justiceFocal, now);
    expect(justice).toMatchObject({ scope: 'institutions', total: { count: 2 } });
    const health = await dashboards.actionCounts('status', {}, healthFocal, now);
    expect(health.total.count).toBe(2);
    expect(health.byStatus.in_progress.count).toBe(1);
    const education = await dashboards.actionCounts('sdg_goal', {}, educationFocal, now);
    expect(education.total.count).toBe(0);
    expect(education.groups).toEqual([]);
    expect((await dashboards.listActions({}, { limit: 50, offset: 0 }, educationFocal, now)).total).toBe(0);
    expect((await dashboards.deadlines({}, educationFocal, now)).overdue.count).toBe(0);
    // Naming another ministry keeps to one's own scope; naming one's own reads everyone's counters.
    for (const filter of [
      { leadInstitution: HEALTH },
      { institution: HEALTH },
      { supportingInstitution: JUSTICE },
    ]) {
      expect((await dashboards.actionCounts('sdg_goal', filter, educationFocal, now)).total.count).toBe(0);
      expect(
        (await dashboards.listActions(filter, { limit: 50, offset: 0 }, educationFocal, now)).total,
      ).toBe(0);
      expect((await dashboards.deadlines(filter, educationFocal, now)).dueIn90Days.count).toBe(0);
    }
    const ownLead = await dashboards.actionCounts(
      'sdg_goal',
      { leadInstitution: 'Ministry-Of-Justice' },
      justiceFocal,
      now,
    );
    expect(ownLead).toMatchObject({ scope: 'institutions', total: { count: 2 } });
    // Recommendations: those their actions serve.
    const served = await dashboards.recommendationCounts('implementation_status', {}, justiceFocal, now);
    expect(served.total.count).toBe(3);
    const healthServed = await dashboards.recommendationCounts('mechanism', {}, healthFocal, now);
    expect(healthServed.groups.map((group) => [group.key, group.total.count]).sort()).toEqual([
      ['CEDAW', 1],
      ['UPR', 1],
    ]);
  });

  it('shows the public only actions of published plans and published recommendations', async () => {
    const actions = await dashboards.actionCounts('status', {}, undefined, now);
    expect(actions).toMatchObject({ scope: 'public', total: { count: 1 } });
    expect(
      (await dashboards.listActions({}, { limit: 50, offset: 0 }, undefined, now)).items.map((a) => a.id),
    ).toEqual([a1]);
    const recommendations = await dashboards.recommendationCounts('theme', {}, undefined, now);
    expect(recommendations.total.count).toBe(1);
    expect(recommendations.groups.map((group) => group.key)).toEqual(['ratification']);
    const listed = await dashboards.listRecommendations({}, { limit: 50, offset: 0 }, undefined);
    expect(listed.items.map((r) => r.id)).toEqual([r1]);
    // An NHRI user acts for no ministry: published items only.
    const nhri = person(['nhri'], []);
    expect((await dashboards.actionCounts('status', {}, nhri, now)).total.count).toBe(1);
  });

  it('counts recommendations by SDG goal and theme, drilling into the list', async () => {
    const goals = await dashboards.recommendationCounts('sdg_goal', {}, coordinator, now);
    expect(goals.groups.map((group) => [group.key, group.total.count])).toEqual([
      ['5', 2],
      ['16', 1],
    ]);
    expect(goals.total.count).toBe(3);
    const five = goals.groups[0];
    const listed = await dashboards.listRecommendations(
      five.total.query,
      { limit: 50, offset: 0 },
      coordinator,
    );
    expect(listed.items.map((r) => r.id).sort()).toEqual([r1, r2].sort());
    const cycles = await dashboards.recommendationCounts('cycle', {}, coordinator, now);
    expect(cycles.groups).toMatchObject([{ key: '3', total: { count: 2, query: { cycle: 3 } } }]);
    const filtered = await dashboards.recommendationCounts('mechanism', { sdgGoal: '5' }, coordinator, now);
    expect(filtered.groups.map((group) => [group.key, group.total.count])).toEqual([
      ['CEDAW', 1],
      ['UPR', 1],
    ]);
  });

  it('counts overdue work and work due in 30, 60 and 90 days', async () => {
    const deadlines = await dashboards.deadlines({}, coordinator, now);
    expect(deadlines).toMatchObject({
      overdue: { count: 1, query: { due: 'overdue' } },
      dueIn30Days: { count: 1, query: { due: '30' } },
      dueIn60Days: { count: 1 },
      dueIn90Days: { count: 2 },
    });
    const overdue = await dashboards.listActions(
      deadlines.overdue.query,
      { limit: 50, offset: 0 },
      coordinator,
      now,
    );
    expect(overdue.items.map((a) => a.id)).toEqual([a1]);
    const health = await dashboards.deadlines({}, healthFocal, now);
    expect([health.overdue.count, health.dueIn30Days.count, health.dueIn90Days.count]).toEqual([1, 1, 1]);
    const justiceOnly = await dashboards.deadlines({ leadInstitution: JUSTICE }, coordinator, now);
    expect([justiceOnly.overdue.count, justiceOnly.dueIn90Days.count]).toEqual([1, 1]);
  });

  it('follows plans: publishing one shows its actions to the public, deleting one takes them out', async () => {
    await fixture.feed('planChanged', draft, { ...plan(draft, true), version: 2 });
    expect((await dashboards.actionCounts('status', {}, undefined, now)).total.count).toBe(2);
    await fixture.feed('planChanged', published, { ...plan(published, true, true), version: 2 });
    const after = await dashboards.actionCounts('plan', {}, coordinator, now);
    expect(after.groups.map((group) => [group.key, group.total.count])).toEqual([[draft, 1]]);
    expect((await dashboards.actionCounts('status', {}, undefined, now)).total.count).toBe(1);
    const before = await counters();
    await fixture.dataSource.query(`SELECT rebuild_dashboard_counts()`);
    expect(await counters()).toEqual(before);
  });

  it('gives implementation status month by month, and progress reports per month', async () => {
    const series = await dashboards.implementationSeries(
      new Date('2025-12-01'),
      new Date('2026-03-31'),
      coordinator,
    );
    expect(
      series.months.map((month) => [
        month.month,
        month.byStatus.not_started,
        month.byStatus.in_progress,
        month.byStatus.implemented,
      ]),
    ).toEqual([
      ['2025-12', 0, 0, 0],
      ['2026-01', 3, 0, 0],
      ['2026-02', 2, 1, 0],
      ['2026-03', 1, 1, 1],
    ]);
    // The public's series counts published recommendations only; the same rule from the history.
    const publicSeries = await dashboards.implementationSeries(
      new Date('2026-01-01'),
      new Date('2026-03-31'),
      undefined,
    );
    expect(
      publicSeries.months.map((month) => [
        month.month,
        month.byStatus.not_started,
        month.byStatus.in_progress,
      ]),
    ).toEqual([
      ['2026-01', 1, 0],
      ['2026-02', 0, 1],
      ['2026-03', 0, 1],
    ]);
    const progress = await dashboards.progressSeries(
      new Date('2026-01-01'),
      new Date('2026-03-31'),
      healthFocal,
    );
    expect(progress.months).toEqual([
      { month: '2026-01', count: 0 },
      { month: '2026-02', count: 1 },
      { month: '2026-03', count: 0 },
    ]);
    expect(
      (
        await dashboards.progressSeries(new Date('2026-01-01'), new Date('2026-03-31'), educationFocal)
      ).months.map((m) => m.count),
    ).toEqual([0, 0, 0]);
  });

  it('answers deadlines, series and drills from the counters as from the rows, as the work moves', async () => {
    // a4: Education's alone, reported on; it joins Justice and Health's work below.
    const a4 = randomUUID();
    const a4Fields = {
      leadInstitutionId: 'ministry-of-education',
      recommendationIds: [r2],
      status: ActionStatus.IN_PROGRESS,
      dueAt: timestampFromDate(new Date(now.getTime() + 40 * DAY)),
    };
    await fixture.feed('actionChanged', a4, action(a4, a4Fields));
    await fixture.feed(
      'progressReportTransitioned',
      randomUUID(),
      {
        reportId: randomUUID(),
        actionId: a4,
        institutionId: 'ministry-of-education',
        transition: 'progress_report.submitted.v1',
        status: 'submitted',
        final: false,
        percentage: 20,
        comments: '',
        version: 2,
      },
      new Date('2026-03-15T10:00:00Z'),
    );
    await expectCountersToMatchRows();
    // Health and Education's group half counted (by the chunks of their ids) while the work moves.
    const healthAndEducation = person(['focal_point'], [HEALTH, 'ministry-of-education']);
    const [{ scope }] = await fixture.dataSource.query(`SELECT register_dashboard_scope_group($1) AS scope`, [
      [HEALTH, 'ministry-of-education'],
    ]);
    await fixture.dataSource.query(`CALL count_dashboard_scope_group($1, 32)`, [scope]);
    await fixture.feed(
      'actionChanged',
      a4,
      action(a4, { ...a4Fields, supportingInstitutionIds: [HEALTH], version: 3 }),
    );
    // a3 due tomorrow and supported by Health; a2 done; r2 published with a new status; a report on a2.
    await fixture.feed(
      'actionChanged',
      a3,
      action(a3, {
        recommendationIds: [r3],
        supportingInstitutionIds: ['Ministry-Of-Health'],
        status: ActionStatus.IN_PROGRESS,
        dueAt: timestampFromDate(new Date(now.getTime() + DAY)),
        version: 3,
      }),
    );
    await fixture.feed(
      'actionChanged',
      a2,
      action(a2, {
        planId: draft,
        leadInstitutionId: HEALTH,
        recommendationIds: [r2],
        status: ActionStatus.COMPLETED,
        dueAt: timestampFromDate(new Date(now.getTime() + 20 * DAY)),
        version: 3,
      }),
    );
    await fixture.feed(
      'recommendationUpdated',
      r2,
      {
        ...recommendation(r2, {
          mechanism: 'CEDAW',
          mechanismKind: 'treaty_body',
          uprCycle: 0,
          sdgTargets: ['5.1'],
        }),
        changedFields: ['published'],
        positionJustification: '',
        published: true,
        version: 2,
      },
      new Date('2026-01-20T10:00:00Z'),
    );
    await statusChanged(r2, ImplementationStatus.PARTIALLY_IMPLEMENTED, new Date('2026-04-02T10:00:00Z'));
    await fixture.feed(
      'progressReportTransitioned',
      randomUUID(),
      {
        reportId: randomUUID(),
        actionId: a3,
        institutionId: JUSTICE,
        transition: 'progress_report.submitted.v1',
        status: 'submitted',
        final: false,
        percentage: 10,
        comments: '',
        version: 2,
      },
      new Date('2026-04-15T10:00:00Z'),
    );
    expect((await dashboards.deadlines({}, healthFocal, now)).dueIn30Days.count).toBe(1);
    expect(
      (await dashboards.progressSeries(new Date('2026-04-01'), new Date('2026-04-30'), healthFocal)).months,
    ).toEqual([{ month: '2026-04', count: 1 }]);
    await expectCountersToMatchRows();
    await dashboards.prepareScope(healthAndEducation);
    expect(
      await fixture.dataSource.query(`SELECT counted_chunks FROM dashboard_scope_group WHERE scope = $1`, [
        scope,
      ]),
    ).toEqual([{ counted_chunks: 64 }]);
    expect(await series(healthAndEducation)).toEqual(await series(healthAndEducation, rowCounting));
    const before = await counters();
    await fixture.dataSource.query(`SELECT rebuild_dashboard_counts()`);
    expect(await counters()).toEqual(before);
  });
});

import { ActionStatus, RecommendationPosition, timestampFromDate } from '@nmirf/contracts';
import type { Principal } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { startReportingFixture, type ReportingFixture } from '../testing/reporting-fixture';
import { decodeCursor, type ActionQuery, type RecommendationQuery } from './dashboard-query';
import { DashboardsService, type ListOf } from './dashboards.service';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const INSTITUTIONS = [
  'ministry-of-justice',
  'ministry-of-health',
  'ministry-of-labour',
  'ministry-of-education',
];
const THEMES = ['women', 'children', 'torture', 'education', 'health', 'justice', 'labour'];

const person = (roles: string[], institutions: string[]): Principal => ({
  subject: randomUUID(),
  name: 'someone',
  kind: 'user',
  roles: new Set(roles) as Principal['roles'],
  institutions,
  scopes: new Set(),
});
const coordinator = person(['coordinator'], []);
const justice = person(['focal_point'], ['Ministry-of-Justice']);
const justiceAndHealth = person(['focal_point'], ['ministry-of-justice', 'ministry-of-health']);
const callers = { coordinator, justice, justiceAndHealth, public: undefined };

describe('dashboard breakdowns cut to their largest groups, and lists paged by cursor (real PostgreSQL)', () => {
  let fixture: ReportingFixture;
  let dashboards: DashboardsService;
  const now = new Date();
  const recommendations = Array.from({ length: 40 }, () => randomUUID());
  const actions = Array.from({ length: 45 }, () => randomUUID());

  beforeAll(async () => {
    fixture = await startReportingFixture();
    dashboards = new DashboardsService(fixture.dataSource);
    // Themes of uneven sizes (theme i on every (i+1)th recommendation), half published.
    for (const [i, id] of recommendations.entries())
      await fixture.feed('recommendationCreated', id, {
        recommendationId: id,
        mechanism: i % 3 === 0 ? 'CEDAW' : 'UPR',
        documentSymbol: `A/HRC/${40 + (i % 4)}/15`,
        // Paragraphs repeat across documents, and some twice in one: the id breaks the tie.
        paragraph: `140.${i % 6}`,
        text: 'Ratify',
        recommendingStates: ['Chile'],
        position: RecommendationPosition.SUPPORTED,
        mechanismKind: i % 3 === 0 ? 'treaty_body' : 'upr',
        stateUnderReview: 'SVN',
        uprCycle: i % 3 === 0 ? 0 : 3,
        uprSession: 34,
        themes: THEMES.filter((_, t) => i % (t + 1) === 0),
        sdgTargets: i % 2 ? ['16.3'] : ['5.1', '16.3'],
        annotationId: '',
        published: i % 2 === 0,
        version: 1,
      });
    const plan = randomUUID();
    await fixture.feed('planChanged', plan, {
      planId: plan,
      state: 'SVN',
      title: 'Plan',
      kind: 'upr_cycle',
      periodStart: '2025-01-01',
      periodEnd: '2029-12-31',
      published: true,
      version: 1,
      deleted: false,
    });
    // Actions: every fifth without a due date, several on the same due instant, some overdue.
    for (const [i, id] of actions.entries())
      await fixture.feed('actionChanged', id, {
        actionId: id,
        planId: i % 2 ? plan : '',
        title: `Action ${i}`,
        description: '',
        leadInstitutionId: INSTITUTIONS[i % 4],
        supportingInstitutionIds: i % 3 ? [INSTITUTIONS[(i + 1) % 4]] : [],
        recommendationIds: [recommendations[i % recommendations.length]],
        sdgTargets: [],
        startDate: '',
        milestones: [],
        budgetLine: '',
        status: i % 7 === 0 ? ActionStatus.COMPLETED : ActionStatus.IN_PROGRESS,
        version: 2,
        ...(i % 5 === 4 ? {} : { dueAt: timestampFromDate(new Date(now.getTime() + ((i % 9) - 4) * DAY)) }),
      });
    // Two institutions' numbers from their group's counters.
    await dashboards.prepareScope(justiceAndHealth);
  });
  afterAll(async () => {
    await dashboards?.onModuleDestroy();
    await fixture?.close();
  });

  it('answers the largest groups first, as many as asked for, and how many there are in all', async () => {
    const cases: Array<[string, (top?: number) => Promise<{ groups: unknown[]; groupCount: number }>]> = [];
    for (const [who, caller] of Object.entries(callers)) {
      cases.push([`${who} themes`, (top) => dashboards.recommendationCounts('theme', {}, caller, now, top)]);
      cases.push([
        `${who} themes of SDG goal 16`,
        (top) => dashboards.recommendationCounts('theme', { sdgGoal: '16' }, caller, now, top),
      ]);
      cases.push([
        `${who} themes of CEDAW recommendations not started`,
        (top) =>
          dashboards.recommendationCounts(
            'theme',
            { mechanism: 'CEDAW', implementationStatus: 'not_started' },
            caller,
            now,
            top,
          ),
      ]);
      cases.push([
        `${who} actions by institution`,
        (top) => dashboards.actionCounts('institution', {}, caller, now, top),
      ]);
      cases.push([
        `${who} actions in progress by lead institution`,
        (top) => dashboards.actionCounts('lead_institution', { status: 'in_progress' }, caller, now, top),
      ]);
    }
    for (const [name, breakdown] of cases) {
      const all = await breakdown(5000);
      expect({ name, groups: all.groups.length }).toEqual({ name, groups: all.groupCount });
      expect({ name, some: all.groupCount > 1 }).toEqual({ name, some: true });
      const top = await breakdown(2);
      // The two largest of every group, in the same order, and the count of them all.
      expect({ name, top: top.groups, groupCount: top.groupCount }).toEqual({
        name,
        top: all.groups.slice(0, 2),
        groupCount: all.groupCount,
      });
    }
    // Unasked, a breakdown holds up to 100 groups.
    const themes = await dashboards.recommendationCounts('theme', {}, coordinator, now);
    expect(themes.groups.map((group) => group.key)).toHaveLength(THEMES.length);
    expect(themes.groups[0]).toMatchObject({ key: 'women', total: { count: recommendations.length } });
  });

  /** Every page of a list, following `next`, and each cursor's page against the same rows read by offset. */
  async function pages<T extends { id: string }>(
    list: (page: {
      limit: number;
      offset?: number;
      after?: ReturnType<typeof decodeCursor>;
    }) => Promise<ListOf<T>>,
    kind: 'actions' | 'recommendations',
  ) {
    const whole = await list({ limit: 500, offset: 0 });
    expect(whole.next).toBeNull();
    const seen: string[] = [];
    let after: ReturnType<typeof decodeCursor>;
    for (let page = 0; page < 50; page++) {
      const found = await list({ limit: 4, after });
      expect(found.total).toBe(whole.total);
      const byOffset = await list({ limit: 4, offset: seen.length });
      expect(found.items).toEqual(byOffset.items);
      seen.push(...found.items.map((item) => item.id));
      if (found.next === null) break;
      after = decodeCursor(found.next, kind);
      expect(after).toBeDefined();
    }
    expect(seen).toEqual(whole.items.map((item) => item.id));
    return seen.length;
  }

  it('pages through the actions behind a number after a cursor, undated ones last, each once', async () => {
    const filters: ActionQuery[] = [{}, { due: 'overdue' }, { due: '90' }, { status: 'in_progress' }];
    let listed = 0;
    for (const caller of Object.values(callers))
      for (const filter of filters)
        listed += await pages((page) => dashboards.listActions(filter, page, caller, now), 'actions');
    const everything = await pages((page) => dashboards.listActions({}, page, coordinator, now), 'actions');
    expect(everything).toBe(actions.length);
    expect(listed).toBeGreaterThan(actions.length);
  });

  it("lists a focal point's due actions from its institutions' index ranges as a recount of the rows does", async () => {
    // The recount: the coordinator's list of each institution (rows through action_view), each action once.
    const recount = async (institutions: string[], due: ActionQuery['due']) => {
      const byId = new Map<string, { id: string; dueAt: Date | null }>();
      for (const institution of institutions)
        for (const item of (
          await dashboards.listActions({ due, institution }, { limit: 500 }, coordinator, now)
        ).items)
          byId.set(item.id, item);
      return [...byId.values()]
        .sort((a, b) => Number(a.dueAt) - Number(b.dueAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((item) => item.id);
    };
    const cases: Array<[Principal, string[]]> = [
      [justice, ['ministry-of-justice']],
      [justiceAndHealth, ['ministry-of-justice', 'ministry-of-health']],
      [
        person(['validator'], ['Ministry-of-Labour', 'ministry-of-labour', 'ministry-of-health']),
        INSTITUTIONS.slice(1, 3),
      ],
    ];
    let shared = 0;
    for (const [caller, institutions] of cases)
      for (const due of ['overdue', '30', '60', '90'] as const) {
        const expected = await recount(institutions, due);
        const listed = await dashboards.listActions({ due }, { limit: 500 }, caller, now);
        expect({ institutions, due, ids: listed.items.map((item) => item.id), total: listed.total }).toEqual({
          institutions,
          due,
          ids: expected,
          total: expected.length,
        });
        // A page in the middle, by offset and after a cursor, is the same slice.
        const middle = await dashboards.listActions({ due }, { limit: 2, offset: 1 }, caller, now);
        expect(middle.items.map((item) => item.id)).toEqual(expected.slice(1, 3));
        if (institutions.length > 1)
          shared += listed.items.filter((item) =>
            institutions.every(
              (one) => item.leadInstitutionId === one || item.supportingInstitutionIds.includes(one),
            ),
          ).length;
      }
    // Some listed actions are shared by two of the caller's institutions, and listed once.
    expect(shared).toBeGreaterThan(0);
  });

  it('pages through the recommendations behind a number after a cursor, by document, paragraph and id', async () => {
    const filters: RecommendationQuery[] = [{}, { theme: 'children' }, { institution: 'ministry-of-health' }];
    for (const caller of Object.values(callers))
      for (const filter of filters)
        await pages((page) => dashboards.listRecommendations(filter, page, caller), 'recommendations');
    expect(
      await pages((page) => dashboards.listRecommendations({}, page, coordinator), 'recommendations'),
    ).toBe(recommendations.length);
  });

  it('reads back only its own kind of cursor', () => {
    const cursor = Buffer.from(JSON.stringify(['a', null, randomUUID()])).toString('base64url');
    expect(decodeCursor(cursor, 'actions')).toMatchObject({ list: 'actions', dueAt: null });
    expect(decodeCursor(cursor, 'recommendations')).toBeUndefined();
    expect(decodeCursor('not a cursor', 'actions')).toBeUndefined();
    const injected = Buffer.from(JSON.stringify(['a', "2026-01-01'; DROP TABLE x", randomUUID()])).toString(
      'base64url',
    );
    expect(decodeCursor(injected, 'actions')).toBeUndefined();
  });
});

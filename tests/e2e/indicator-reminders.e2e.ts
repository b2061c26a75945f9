// An indicator whose reporting day passed without a measurement, the services as processes: the
// actions service tells notifications (IndicatorScheduled), whose worker sends the reminder of the day
// and the overdue notice to whoever reports it: the secretariat while the action has no lead, then,
// once the action is assigned (IndicatorScheduled again), the lead and the supporting ministry.
import { bearer, demoToken, http, Stack, waitFor, type DemoUser } from '@nmirf/testing';
import { createRecommendation, MINISTRY } from './helpers';

const INTERIOR = 'Ministry of Interior';
const SECRETARIAT = 'NMIRF Secretariat';

describe('indicator reminders, from the actions service to the ministries’ inboxes', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'indicator-reminders' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const actions = (path: string) => `${stack.url('actions')}${path}`;
  const as = async (user: DemoUser, extra: Record<string, string> = {}) => ({
    ...bearer(await demoToken(user)),
    ...extra,
  });

  async function inboxOf(institution: string, user: DemoUser, indicatorId: string) {
    const answer = await http(
      'GET',
      `${stack.url('notifications')}/institutions/${encodeURIComponent(institution)}/inbox?limit=200`,
      undefined,
      await as(user),
    );
    expect(answer.status).toBe(200);
    return (answer.body.items as Array<{ kind: string; subjectId: string; params: Record<string, unknown> }>)
      .filter((item) => item.subjectId === indicatorId)
      .map((item) => item.kind)
      .sort();
  }

  it('tells the secretariat of a missed reporting day while the action has no lead, then the lead and the supporting ministry once assigned', async () => {
    const recommendationId = await createRecommendation(stack, '143.77');
    const action = await waitFor('the action to be created', async () => {
      const created = await http('POST', actions('/actions'), {
        recommendationId,
        title: 'Publish court statistics by sex and age',
      });
      if (created.status === 422) return undefined; // the recommendation is still on its way
      expect(created.status).toBe(201);
      return created.body as { id: string };
    });
    // Quarterly from January 2025: the first measurement was due on 1 April 2025 and never came.
    const indicator = await http('POST', actions(`/actions/${action.id}/indicators`), {
      name: 'Court decisions published',
      type: 'process',
      unit: 'decisions',
      baseline: { value: 0, date: '2025-01-01' },
      target: { value: 500, date: '2028-12-31' },
      frequency: 'quarterly',
      dataSource: 'Supreme Court registry',
    });
    expect(indicator.status).toBe(201);
    expect(indicator.body).toMatchObject({ nextReportingDate: '2025-04-01', overdue: true });
    const id = indicator.body.id as string;

    // Defined while the action is still proposed: nobody reports it yet, so the secretariat is told.
    await waitFor('the secretariat’s reminder and overdue notice', async () =>
      (await inboxOf(SECRETARIAT, 'coordinator', id)).length === 2 ? true : undefined,
    );

    // The action gets its lead and a supporting ministry: the indicator's reminders follow.
    const read = await http('GET', actions(`/actions/${action.id}`));
    const assigned = await http(
      'POST',
      actions(`/actions/${action.id}/assign`),
      {
        institution: MINISTRY,
        supportingInstitutions: [INTERIOR],
        dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      },
      { 'if-match': `"${read.body.version}"` },
    );
    expect(assigned.status).toBe(200);

    const expected = ['indicator_overdue', 'indicator_reminder'];
    await waitFor('the lead’s reminder and overdue notice', async () => {
      const kinds = await inboxOf(MINISTRY, 'focal.justice', id);
      return kinds.length === 2 ? kinds : undefined;
    });
    expect(await inboxOf(MINISTRY, 'focal.justice', id)).toEqual(expected);
    expect(await inboxOf(INTERIOR, 'focal.interior', id)).toEqual(expected);
    // The secretariat is not told twice.
    expect(await inboxOf(SECRETARIAT, 'coordinator', id)).toEqual(expected);
    // Another ministry does not see Justice's inbox.
    const foreign = await http(
      'GET',
      `${stack.url('notifications')}/institutions/${encodeURIComponent(MINISTRY)}/inbox`,
      undefined,
      await as('focal.interior'),
    );
    expect(foreign.status).toBe(404);
  });
});

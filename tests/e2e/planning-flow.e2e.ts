// The planning workflow across three institutions, the services as processes: the secretariat plans
// and assigns, the Ministry of Justice leads, the Ministry of Interior supports; Justice reports with
// evidence and a measurement, its validator approves, the coordinator returns then accepts, and the
// recommendation's implementation status moves in search and in the summary. The calendar shows the
// UPR mid-term deadline and its reminder.
import { bearer, demoToken, http, Stack, waitFor, type DemoUser } from '@nmirf/testing';
import { createRecommendation, MINISTRY } from './helpers';

const INTERIOR = 'Ministry of Interior';
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
const today = () => new Date().toISOString().slice(0, 10);

describe('planning workflow across three institutions', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'planning' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const actions = (path: string) => `${stack.url('actions')}${path}`;
  const as = async (user: DemoUser, extra: Record<string, string> = {}) => ({
    ...bearer(await demoToken(user)),
    ...extra,
  });
  async function version(actionId: string): Promise<string> {
    const read = await http('GET', actions(`/actions/${actionId}`));
    expect(read.status).toBe(200);
    return `"${read.body.version}"`;
  }
  async function command(actionId: string, name: string, user: DemoUser, body?: unknown) {
    const answer = await http(
      'POST',
      actions(`/actions/${actionId}/${name}`),
      body,
      await as(user, { 'if-match': await version(actionId) }),
    );
    expect({ name, status: answer.status, body: answer.body }).toMatchObject({ name, status: 200 });
    return answer.body;
  }
  async function reportStep(reportId: string, step: string, user: DemoUser, body?: unknown) {
    const answer = await http('POST', actions(`/progress-reports/${reportId}/${step}`), body, await as(user));
    expect({ step, status: answer.status, body: answer.body }).toMatchObject({ step, status: 200 });
    return answer.body;
  }

  it('plans, assigns, acknowledges, reports with evidence, approves, returns, accepts, and rolls up', async () => {
    // 1. Plan: a UPR cycle plan and an action in it for a recommendation.
    const recommendationId = await createRecommendation(stack, '143.31');
    const plan = await http('POST', actions('/plans'), {
      state: 'SVN',
      title: 'UPR cycle 4, 2025–2029',
      kind: 'upr_cycle',
      periodStart: '2025-01-01',
      periodEnd: '2029-12-31',
    });
    expect(plan.status).toBe(201);
    const action = await waitFor('the action to be created', async () => {
      const created = await http('POST', actions('/actions'), {
        recommendationId,
        title: 'Train judges on the Convention',
      });
      if (created.status === 422) return undefined; // the recommendation is still on its way
      expect(created.status).toBe(201);
      return created.body as { id: string; status: string };
    });
    expect(action.status).toBe('proposed');
    const planned = await http(
      'PATCH',
      actions(`/actions/${action.id}`),
      { planId: plan.body.id },
      {
        'if-match': await version(action.id),
      },
    );
    expect(planned.status).toBe(200);

    // 2. Assign the lead (Justice) and a supporting institution (Interior).
    await command(action.id, 'assign', 'coordinator', {
      institution: MINISTRY,
      supportingInstitutions: [INTERIOR],
      dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    });
    // The supporting ministry sees the action; the plan lists it.
    expect(
      (await http('GET', actions(`/actions/${action.id}`), undefined, await as('focal.interior'))).status,
    ).toBe(200);
    expect((await http('GET', actions(`/plans/${plan.body.id}`))).body.actions).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: action.id })]),
    );

    // 3. The lead acknowledges and starts; an indicator is defined on the action.
    await command(action.id, 'acknowledge', 'focal.justice');
    await command(action.id, 'start', 'focal.justice');
    const indicator = await http('POST', actions(`/actions/${action.id}/indicators`), {
      name: 'Judges trained on the Convention',
      type: 'process',
      unit: 'judges',
      baseline: { value: 0, date: '2025-01-01' },
      target: { value: 120, date: '2027-12-31' },
      frequency: 'quarterly',
      dataSource: 'Judicial Training Centre records',
    });
    expect(indicator.status).toBe(201);

    // 4. Justice reports progress with an evidence file and a measurement.
    const report = await http(
      'POST',
      actions(`/actions/${action.id}/progress-reports`),
      { narrative: 'All 120 judges trained; attendance lists attached.', percentage: 100, final: true },
      await as('focal.justice'),
    );
    expect(report.status).toBe(201);
    const reportId = report.body.id as string;
    const upload = await fetch(actions(`/progress-reports/${reportId}/evidence?name=attendance.pdf`), {
      method: 'POST',
      headers: await as('focal.justice', { 'content-type': 'application/octet-stream' }),
      body: PDF,
    });
    expect(upload.status).toBe(201);
    const measured = await http(
      'POST',
      actions(`/indicators/${indicator.body.id}/measurements`),
      { value: 120, date: today(), progressReportId: reportId },
      await as('focal.justice'),
    );
    expect(measured.status).toBe(201);
    await reportStep(reportId, 'submit', 'focal.justice');

    // 5. The ministry's validator approves; 6. the coordinator returns it, then accepts it.
    await reportStep(reportId, 'approve', 'validator.justice');
    await reportStep(reportId, 'return', 'coordinator', { comments: 'Say how many of them were women.' });
    await reportStep(reportId, 'submit', 'focal.justice');
    await reportStep(reportId, 'approve', 'validator.justice');
    expect((await reportStep(reportId, 'accept', 'coordinator')).status).toBe('accepted_by_coordinator');
    expect((await http('GET', actions(`/actions/${action.id}`))).body.status).toBe('completed');
    // Another ministry's focal point cannot fetch the evidence.
    const evidence =
      report.body.files?.[0]?.sha256 ??
      (await http('GET', actions(`/progress-reports/${reportId}`))).body.files[0].sha256;
    const foreign = await fetch(actions(`/progress-reports/${reportId}/evidence/${evidence}`), {
      headers: await as('focal.interior'),
    });
    expect(foreign.status).toBe(404);

    // 7. The recommendation is implemented, in search and in the summary.
    await waitFor('search to show the recommendation implemented', async () => {
      const found = await http(
        'GET',
        `${stack.url('recommendations')}/recommendations?implementationStatus=implemented&limit=100`,
      );
      return found.body.items.some((item: { id: string }) => item.id === recommendationId) || undefined;
    });
    await waitFor('the summary to count it', async () => {
      const summary = await http('GET', `${stack.url('reporting')}/summary`);
      return (summary.body?.byImplementationStatus?.implemented ?? 0) >= 1 || undefined;
    });

    // 8. The calendar shows the UPR mid-term deadline, and the coordinator's reminder is planned.
    const milestone = await http('POST', actions('/calendar/milestones'), {
      kind: 'upr_outcome',
      state: 'SVN',
      cycle: 4,
      documentSymbol: 'A/HRC/58/15',
      reviewedOn: '2024-11-05',
      adoptedOn: '2025-03-28',
    });
    expect(milestone.status).toBe(201);
    const midTerm = milestone.body.added.find(
      (entry: { kind: string }) => entry.kind === 'upr_mid_term_report',
    );
    const calendar = await http('GET', actions('/calendar?kind=upr_mid_term_report'));
    expect(calendar.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: midTerm.id })]),
    );
    const deadline = await waitFor('the coordinator’s reminder', async () => {
      const answer = await http('GET', `${stack.url('notifications')}/reporting-deadlines/${midTerm.id}`);
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(deadline).toMatchObject({ kind: 'upr_mid_term_report', open: true });
    expect(deadline.reminders.length).toBeGreaterThan(0);
  });
});

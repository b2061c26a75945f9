import { decodeEnvelope } from '@nmirf/contracts';
import { http, observeTopics, sleep, Stack, testKafka, waitFor, withAuthorization } from '@nmirf/testing';
import { readFileSync } from 'node:fs';
import { createAssignedAction, createRecommendation, inbox, MINISTRY } from './helpers';

describe('one follow-up, through all four services', () => {
  let stack: Stack;

  beforeAll(async () => {
    // Two reminders: 32 s before the due date, and on it. Completing in between must cancel the second;
    // the 32 s between them leave room for a loaded machine to complete in time.
    stack = await Stack.start({ name: 'flow', env: { REMINDER_OFFSETS: '32s,0s', ESCALATE_AFTER: '1d' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('goes from recommendation to compiled report', async () => {
    const kafka = testKafka(stack.env.KAFKA_BROKERS);
    const reportsTopic = stack.topic('nmirf.reporting.report.v1');
    const observed = await observeTopics(kafka, [reportsTopic]);
    try {
      // 1. A recommendation.
      const recommendationId = await createRecommendation(stack);

      // 2. An action for it, assigned to the Ministry of Justice, due in forty seconds.
      const dueAt = new Date(Date.now() + 40_000);
      const action = await createAssignedAction(stack, recommendationId, dueAt);

      // 3. The ministry's inbox shows the assignment.
      const assigned = await waitFor('the assignment in the inbox', async () => {
        const { items } = await inbox(stack);
        return items.find((item) => item.kind === 'action_assigned' && item.actionId === action.id);
      });
      expect(assigned.params).toMatchObject({ title: 'Draft the ratification bill' });

      // 4. The reminder due 32 s before the deadline fires.
      await waitFor(
        'the first deadline reminder',
        async () =>
          (await inbox(stack)).items.find(
            (item) => item.kind === 'deadline_reminder' && item.actionId === action.id,
          ),
        { timeoutMs: 40_000 },
      );

      // 5. The ministry reports completion; the on-the-day reminder must not fire.
      const progress = await http('POST', `${stack.url('actions')}/actions/${action.id}/progress`, {
        status: 'completed',
        note: 'Bill adopted by the National Assembly',
      });
      expect(progress.status).toBe(201);
      await waitFor('the deadline to close', async () => {
        const deadline = await http('GET', `${stack.url('notifications')}/deadlines/${action.id}`);
        return deadline.status === 200 && deadline.body.open === false;
      });
      await sleep(Math.max(0, dueAt.getTime() - Date.now()) + 3_000);
      const reminders = (await inbox(stack)).items.filter((item) => item.kind === 'deadline_reminder');
      expect(reminders).toHaveLength(1);

      // 6. The summary shows one completed action.
      const summary = await waitFor('the summary to count the completed action', async () => {
        const response = await http('GET', `${stack.url('reporting')}/summary`);
        return response.body?.byStatus?.completed === 1 ? response.body : undefined;
      });
      expect(summary.total).toBe(1);
      expect(summary.overdue).toBe(0);
      expect(summary.byInstitution).toEqual([expect.objectContaining({ institution: MINISTRY, total: 1 })]);

      // 7. The report job writes a file with that row, and ReportCompiled is published.
      const requested = await http('POST', `${stack.url('reporting')}/reports`, {
        kind: 'action-progress',
        format: 'csv',
      });
      expect(requested.status).toBe(202);
      const reportId = requested.body.id as string;
      const report = await waitFor('the report to be compiled', async () => {
        const response = await http('GET', `${stack.url('reporting')}/reports/${reportId}`);
        return response.body?.status === 'ready' ? response.body : undefined;
      });
      expect(report.rowCount).toBe(1);
      const file = await fetch(`${stack.url('reporting')}/reports/${reportId}/file`, {
        headers: await withAuthorization(),
      });
      expect(file.status).toBe(200);
      const lines = (await file.text()).trim().split(/\r?\n/);
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(action.id);
      expect(lines[1]).toContain(MINISTRY);
      expect(lines[1]).toContain('completed');
      const onDisk = readFileSync(`${stack.reportsDir}/${report.fileName}`, 'utf8');
      expect(onDisk.trim().split(/\r?\n/)).toEqual(lines);

      const compiled = await waitFor('ReportCompiled on Kafka', () =>
        observed.messages
          .map((message) => decodeEnvelope(message.value, message.key))
          .find(
            (envelope) =>
              envelope.payload.case === 'reportCompiled' && envelope.payload.value.reportId === reportId,
          ),
      );
      expect(compiled.payload.value).toMatchObject({ rowCount: 1, format: 'csv' });
    } finally {
      await observed.stop();
    }
  });

  it('answers bad requests with field errors and unknown ids with 404', async () => {
    const bad = await http('POST', `${stack.url('actions')}/actions`, {
      recommendationId: 'nope',
      title: '',
      dueDate: 'tomorrow',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['recommendationId', 'title', 'dueDate']),
    );
    const malformed = await http(
      'POST',
      `${stack.url('recommendations')}/recommendations`,
      '{"mechanism": "UPR",',
    );
    expect(malformed.status).toBe(400);
    const unknown = '6f1d2c3b-4a59-4e7f-8a9b-0c1d2e3f4a5b';
    expect((await http('GET', `${stack.url('actions')}/actions/${unknown}`)).status).toBe(404);
    expect((await http('GET', `${stack.url('recommendations')}/recommendations/${unknown}`)).status).toBe(
      404,
    );
    expect((await http('GET', `${stack.url('reporting')}/reports/${unknown}`)).status).toBe(404);
    expect((await http('GET', `${stack.url('actions')}/actions/not-a-uuid`)).status).toBe(400);
  });

  it('publishes an OpenAPI document for every service', async () => {
    for (const service of ['recommendations', 'actions', 'notifications', 'reporting'] as const) {
      const document = await http('GET', `${stack.url(service)}/docs/openapi.json`);
      expect(document.status).toBe(200);
      expect(Object.keys(document.body.paths)).toContain('/health/ready');
    }
  });
});

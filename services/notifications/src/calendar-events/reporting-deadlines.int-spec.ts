import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { buildEnvelope, decodeEnvelope, encodeEnvelope, ReportingDeadlineChange } from '@nmirf/contracts';
import {
  applyHttpConventions,
  applyHttpHardening,
  PermanentEventError,
  serviceDataSourceOptions,
  type EventContext,
  type Principal,
} from '@nmirf/platform';
import { requireInfrastructure } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ALERT_SETTINGS, type AlertSettings } from '../reminders/alert-settings';
import { REPORTING_REMINDER_SCHEDULER } from '../reporting-reminders/reporting-reminder-scheduler';
import { createMigratedDatabase } from '../testing/integration';
import { CalendarEventsHandler } from './calendar-events.handler';
import { ReportingDeadlineFollowUp } from './reporting-deadline-follow-up';
import { ReportingDeadlinesController } from './reporting-deadlines.controller';
import { ReportingDeadlinesService } from './reporting-deadlines.service';

jest.setTimeout(60_000);

const DAY = 86_400;
const SETTINGS: AlertSettings = {
  offsetsSeconds: [14 * DAY, 3 * DAY, 0],
  escalateAfterSeconds: DAY,
  coordinatorInstitution: 'NMIRF Secretariat',
  escalationLadder: ['focal_point'],
};
const COORDINATOR: Principal = {
  subject: 'coordinator-1',
  name: 'Test Coordinator',
  kind: 'user',
  roles: new Set(['coordinator']),
  institutions: ['NMIRF Secretariat'],
  scopes: new Set(),
};

interface Change {
  change: ReportingDeadlineChange;
  dueOn: string;
  previousDueOn?: string;
  open?: boolean;
  sequence: number;
}

describe('reporting deadlines from the calendar’s events, with their reminders (real PostgreSQL)', () => {
  let drop: () => Promise<void>;
  let dataSource: DataSource;
  let handler: CalendarEventsHandler;
  let app: INestApplication;
  let base: string;
  const scheduled: string[] = [];
  const scheduler = {
    reschedule: async (deadline: { subjectId: string; dueOn: string }) =>
      void scheduled.push(`reschedule ${deadline.subjectId} ${deadline.dueOn}`),
    cancelAll: async (_: string, subjectId: string) => void scheduled.push(`cancel ${subjectId}`),
  };

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    const database = await createMigratedDatabase();
    drop = database.drop;
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    const module = await Test.createTestingModule({
      controllers: [CalendarEventsHandler, ReportingDeadlinesController],
      providers: [
        ReportingDeadlineFollowUp,
        ReportingDeadlinesService,
        { provide: ALERT_SETTINGS, useValue: SETTINGS },
        { provide: DataSource, useValue: dataSource },
        // Delivery is tested in reporting-reminders.int-spec.ts; here, what the jobs are asked.
        { provide: REPORTING_REMINDER_SCHEDULER, useValue: scheduler },
      ],
    }).compile();
    handler = module.get(CalendarEventsHandler);
    app = module.createNestApplication({ logger: false });
    // Authentication and roles are tested end to end (tests/e2e/authorization.e2e.ts).
    app.use((request: { principal?: Principal }, _: unknown, next: () => void) => {
      request.principal = COORDINATOR;
      next();
    });
    applyHttpHardening(app);
    applyHttpConventions(app);
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await drop?.();
  });

  /** Delivers one ReportingDeadlineChanged as the consumer would: off the wire, in a transaction. */
  async function deliver(deadlineId: string, change: Change): Promise<void> {
    const envelope = buildEnvelope({
      eventId: randomUUID(),
      case: 'reportingDeadlineChanged',
      aggregateId: deadlineId,
      occurredAt: new Date(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { kind: 'user', id: 'coordinator-1' },
      payload: {
        deadlineId,
        change: change.change,
        kind: 'upr_mid_term_report',
        state: 'SVN',
        mechanism: 'upr',
        body: 'UPR',
        cycle: '4',
        dueOn: change.dueOn,
        previousDueOn: change.previousDueOn ?? '',
        estimated: false,
        source: 'A/HRC/58/15',
        open: change.open ?? true,
        sequence: change.sequence,
        titleKey: 'upr_mid_term_report.title',
        titleParamsJson: JSON.stringify({ body: 'UPR', cycle: '4', source: 'A/HRC/58/15' }),
      },
    });
    const received = decodeEnvelope(encodeEnvelope(envelope), deadlineId);
    const afterCommit: Array<() => Promise<unknown>> = [];
    await dataSource.transaction((manager) =>
      handler.onReportingDeadlineChanged(received, {
        manager,
        afterCommit: (work: () => Promise<unknown>) => void afterCommit.push(work),
      } as unknown as EventContext),
    );
    for (const work of afterCommit) await work();
  }

  async function get(path: string): Promise<{ status: number; body: any }> {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: await response.json() };
  }

  it('keeps the UPR mid-term deadline in the coordinator’s inbox with its reminders 14 and 3 days before and on the day', async () => {
    const id = randomUUID();
    await deliver(id, { change: ReportingDeadlineChange.SCHEDULED, dueOn: '2027-09-28', sequence: 0 });

    const answer = await get(`/reporting-deadlines/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      deadlineId: id,
      institution: 'NMIRF Secretariat',
      kind: 'upr_mid_term_report',
      titleKey: 'upr_mid_term_report.title',
      titleParams: { body: 'UPR', cycle: '4', source: 'A/HRC/58/15' },
      dueOn: '2027-09-28',
      source: 'A/HRC/58/15',
      open: true,
      sequence: 0,
    });
    expect(answer.body.reminders).toEqual([
      { offsetSeconds: 14 * DAY, at: '2027-09-14T00:00:00.000Z' },
      { offsetSeconds: 3 * DAY, at: '2027-09-25T00:00:00.000Z' },
      { offsetSeconds: 0, at: '2027-09-28T00:00:00.000Z' },
    ]);
    expect(answer.body.remindersSent).toEqual([]);
  });

  it('moves the deadline and its reminders with a newer document, ignores an older event, and stops reminding once closed', async () => {
    const id = randomUUID();
    await deliver(id, { change: ReportingDeadlineChange.SCHEDULED, dueOn: '2027-09-28', sequence: 0 });
    await deliver(id, {
      change: ReportingDeadlineChange.UPDATED,
      dueOn: '2027-10-15',
      previousDueOn: '2027-09-28',
      sequence: 1,
    });
    // A redelivered older event does not move the date back.
    await deliver(id, { change: ReportingDeadlineChange.SCHEDULED, dueOn: '2027-09-28', sequence: 0 });
    const moved = await get(`/reporting-deadlines/${id}`);
    expect(moved.body).toMatchObject({ dueOn: '2027-10-15', sequence: 1, open: true });
    expect(moved.body.reminders.at(-1)).toEqual({ offsetSeconds: 0, at: '2027-10-15T00:00:00.000Z' });

    await deliver(id, {
      change: ReportingDeadlineChange.CLOSED,
      dueOn: '2027-10-15',
      previousDueOn: '2027-10-15',
      open: false,
      sequence: 2,
    });
    // The jobs followed after each commit: planned, moved, not touched by the older event, removed.
    expect(scheduled.filter((line) => line.includes(id))).toEqual([
      `reschedule ${id} 2027-09-28`,
      `reschedule ${id} 2027-10-15`,
      `cancel ${id}`,
    ]);
    const closed = await get(`/reporting-deadlines/${id}`);
    expect(closed.body).toMatchObject({ open: false, sequence: 2, reminders: [] });
    const open = await get('/reporting-deadlines?open=true');
    expect(open.body.items.map((item: { deadlineId: string }) => item.deadlineId)).not.toContain(id);
    const all = await get('/reporting-deadlines');
    expect(all.body.items.map((item: { deadlineId: string }) => item.deadlineId)).toContain(id);
  });

  it('sends an event with an impossible day to the dead-letter topic, and answers 404 and 400 on the API', async () => {
    await expect(
      deliver(randomUUID(), { change: ReportingDeadlineChange.SCHEDULED, dueOn: '28/09/2027', sequence: 0 }),
    ).rejects.toBeInstanceOf(PermanentEventError);
    expect((await get(`/reporting-deadlines/${randomUUID()}`)).status).toBe(404);
    expect((await get('/reporting-deadlines/not-a-uuid')).status).toBe(400);
    expect((await get('/reporting-deadlines?open=perhaps')).status).toBe(400);
  });
});

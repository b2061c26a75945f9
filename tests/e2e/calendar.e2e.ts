import { http, Stack, waitFor } from '@nmirf/testing';
import ICAL from 'ical.js';

describe('the reporting calendar, from a UPR outcome to the coordinator’s reminder', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'calendar' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows the UPR mid-term deadline in the calendar, in the public feed, and with its reminder for the coordinator', async () => {
    const applied = await http('POST', `${stack.url('actions')}/calendar/milestones`, {
      kind: 'upr_outcome',
      state: 'SVN',
      cycle: 4,
      documentSymbol: 'A/HRC/58/15',
      reviewedOn: '2024-11-05',
      adoptedOn: '2025-03-28',
    });
    expect(applied.status).toBe(201);
    const midTerm = applied.body.added.find(
      (entry: { kind: string }) => entry.kind === 'upr_mid_term_report',
    );
    expect(midTerm).toMatchObject({ dueOn: '2027-09-28', status: 'open', source: 'A/HRC/58/15' });

    // Anyone reads the calendar, without signing in: a calendar application sends no token.
    const listed = await fetch(`${stack.url('actions')}/calendar?kind=upr_mid_term_report&lang=es`);
    expect(listed.status).toBe(200);
    const [entry] = ((await listed.json()) as { items: Array<Record<string, unknown>> }).items;
    expect(entry).toMatchObject({ id: midTerm.id, dueOn: '2027-09-28' });
    expect(entry.titleText).toMatch(/4/);

    const feed = await fetch(`${stack.url('actions')}/calendar.ics?lang=fr`);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const events = new ICAL.Component(ICAL.parse(await feed.text())).getAllSubcomponents('vevent');
    const event = events.find((candidate) =>
      String(candidate.getFirstPropertyValue('uid')).startsWith(midTerm.id),
    );
    expect(event?.getFirstPropertyValue('summary')).toBe('EPU : rapport à mi-parcours, cycle 4');

    // Notifications follows the calendar's event: the coordinator's deadline, reminders planned.
    const deadline = await waitFor('the coordinator’s reporting deadline', async () => {
      const answer = await http('GET', `${stack.url('notifications')}/reporting-deadlines/${midTerm.id}`);
      return answer.status === 200 ? answer.body : undefined;
    });
    expect(deadline).toMatchObject({
      institution: 'NMIRF Secretariat',
      kind: 'upr_mid_term_report',
      dueOn: '2027-09-28',
      open: true,
    });
    expect(deadline.reminders.length).toBeGreaterThan(0);
    expect(deadline.reminders.at(-1)).toEqual({ offsetSeconds: 0, at: '2027-09-28T00:00:00.000Z' });
  });

  it('delivers the reminder on the due day to the coordinator’s inbox, once', async () => {
    // A deadline entered by hand for today: the reminder on the day is due at once.
    const today = new Date().toISOString().slice(0, 10);
    const applied = await http('POST', `${stack.url('actions')}/calendar/milestones`, {
      kind: 'manual',
      state: 'SVN',
      mechanism: 'regional',
      body: 'ECRI',
      reference: `e2e ${today}`,
      title: 'Reply to ECRI on its interim follow-up conclusions',
      dueOn: today,
    });
    expect(applied.status).toBe(201);
    const [entry] = applied.body.added;
    const inbox = `${stack.url('notifications')}/institutions/${encodeURIComponent('NMIRF Secretariat')}/inbox?limit=200`;
    const reminders = await waitFor('the coordinator’s reminder', async () => {
      const answer = await http('GET', inbox);
      const found = (answer.body?.items ?? []).filter(
        (item: { subjectId: string; kind: string }) =>
          item.subjectId === entry.id && item.kind === 'reporting_deadline_reminder',
      );
      return found.length > 0 ? found : undefined;
    });
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({
      subjectKind: 'reporting_deadline',
      actionId: null,
      params: { deadlineKind: 'manual', dueOn: today, offsetSeconds: 0 },
    });
  });
});

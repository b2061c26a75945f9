import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { decodeEnvelope, ReportingDeadlineChange } from '@nmirf/contracts';
import {
  applyHttpConventions,
  applyHttpHardening,
  EventOutbox,
  migrate,
  serviceDataSourceOptions,
  type Principal,
} from '@nmirf/platform';
import { createTestDatabase, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import ICAL from 'ical.js';
import { DataSource } from 'typeorm';
import { entities, migrations, SCHEMA } from '../database';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';
import type { ImportedRecommendationSource } from './imported-documents';

jest.setTimeout(60_000);

const COORDINATOR: Principal = {
  subject: 'coordinator-1',
  name: 'Test Coordinator',
  kind: 'user',
  roles: new Set(['coordinator']),
  institutions: ['NMIRF Secretariat'],
  scopes: new Set(),
};

interface Answer {
  status: number;
  body: any;
  text: string;
  contentType: string | null;
}

const UPR_CYCLE_4 = {
  kind: 'upr_outcome',
  state: 'SVN',
  cycle: 4,
  documentSymbol: 'A/HRC/58/15',
  reviewedOn: '2024-11-05',
  adoptedOn: '2025-03-28',
};

describe('reporting calendar: milestones, entries and the iCalendar feed (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('actions_calendar');
    const options = { url: database.url, schema: SCHEMA, entities, migrations, poolSize: 6 };
    await migrate(options);
    dataSource = await new DataSource(serviceDataSourceOptions(options)).initialize();
    const module = await Test.createTestingModule({
      controllers: [CalendarController],
      providers: [
        CalendarService,
        { provide: DataSource, useValue: dataSource },
        { provide: EventOutbox, useValue: new EventOutbox('actions', '', `outbox_${SCHEMA}`) },
      ],
    }).compile();
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
    await database?.drop();
  });

  async function send(method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type');
    const json = contentType?.includes('json') && text ? JSON.parse(text) : undefined;
    return { status: response.status, body: json, text, contentType };
  }

  async function calendar(query = ''): Promise<any[]> {
    const answer = await send('GET', `/calendar${query}`);
    expect(answer.status).toBe(200);
    return answer.body.items;
  }

  /** The calendar's events about one deadline, oldest first. */
  async function events(deadlineId: string) {
    const rows: Array<{ payload: Buffer; message_key: string; topic: string }> = await dataSource.query(
      `SELECT payload, message_key, topic FROM outbox
        WHERE event_type = 'ReportingDeadlineChanged' AND message_key = $1 ORDER BY seq`,
      [deadlineId],
    );
    return rows.map((row) => {
      const envelope = decodeEnvelope(row.payload, row.message_key);
      if (envelope.payload.case !== 'reportingDeadlineChanged')
        throw new Error(`unexpected ${envelope.type}`);
      const { change, dueOn, previousDueOn, open, sequence } = envelope.payload.value;
      return { topic: row.topic, change, dueOn, previousDueOn, open, sequence };
    });
  }

  async function counts(): Promise<string> {
    const [row] = await dataSource.query(
      `SELECT (SELECT count(*) FROM outbox) AS events,
              (SELECT count(*) FROM reporting_calendar_entries) AS entries,
              (SELECT count(*) FROM reporting_milestones) AS milestones`,
    );
    return JSON.stringify(row);
  }

  it('turns a UPR outcome into the mid-term report, the next national report and reviews, each with its event', async () => {
    const applied = await send('POST', '/calendar/milestones', UPR_CYCLE_4);
    expect(applied.status).toBe(201);
    expect(applied.body.updated).toEqual([]);
    expect(applied.body.closed).toEqual([]);

    const entries = await calendar('?mechanism=upr');
    expect(entries.map((entry) => [entry.kind, entry.cycle, entry.dueOn, entry.estimated])).toEqual([
      ['upr_review', '4', '2024-11-05', false],
      ['upr_mid_term_report', '4', '2027-09-28', false],
      ['upr_national_report', '5', '2029-02-10', true],
      ['upr_review', '5', '2029-05-05', true],
    ]);
    expect(entries.every((entry) => entry.status === 'open' && entry.sequence === 0)).toBe(true);
    expect(entries.map((entry) => entry.id).sort()).toEqual(
      applied.body.added.map((entry: { id: string }) => entry.id).sort(),
    );

    const midTerm = entries[1];
    expect(await events(midTerm.id)).toEqual([
      {
        topic: 'nmirf.actions.calendar.v1',
        change: ReportingDeadlineChange.SCHEDULED,
        dueOn: '2027-09-28',
        previousDueOn: '',
        open: true,
        sequence: 0,
      },
    ]);
    const [milestone] = await dataSource.query(
      `SELECT kind, state, source, recorded_by FROM reporting_milestones WHERE source = 'A/HRC/58/15'`,
    );
    expect(milestone).toEqual({
      kind: 'upr_outcome',
      state: 'SVN',
      source: 'A/HRC/58/15',
      recorded_by: 'coordinator-1',
    });
  });

  it('follows a newer document: the same deadline moves (SEQUENCE + 1) instead of being duplicated', async () => {
    const before = await calendar('?kind=upr_review');
    const nextReview = before.find((entry) => entry.cycle === '5');
    const moved = await send('POST', '/calendar/milestones', { ...UPR_CYCLE_4, nextReviewOn: '2029-11-12' });
    expect(moved.status).toBe(201);
    expect(moved.body.added).toEqual([]);
    expect(moved.body.updated.map((entry: any) => [entry.kind, entry.cycle, entry.dueOn])).toEqual([
      ['upr_national_report', '5', '2029-08-20'],
      ['upr_review', '5', '2029-11-12'],
    ]);

    const after = await calendar('?kind=upr_review');
    expect(after).toHaveLength(2);
    expect(after.find((entry) => entry.cycle === '5')).toMatchObject({
      id: nextReview.id,
      dueOn: '2029-11-12',
      estimated: false,
      sequence: 1,
    });
    expect(
      (await events(nextReview.id)).map((event) => [event.change, event.previousDueOn, event.dueOn]),
    ).toEqual([
      [ReportingDeadlineChange.SCHEDULED, '', '2029-05-05'],
      [ReportingDeadlineChange.UPDATED, '2029-05-05', '2029-11-12'],
    ]);

    // The same document again changes nothing and says nothing.
    const eventsBefore = await counts();
    const again = await send('POST', '/calendar/milestones', { ...UPR_CYCLE_4, nextReviewOn: '2029-11-12' });
    expect(again.body).toEqual({ added: [], updated: [], closed: [] });
    expect(JSON.parse(await counts()).events).toBe(JSON.parse(eventsBefore).events);
  });

  it('closes the follow-up report of earlier concluding observations when newer ones arrive', async () => {
    const seventh = await send('POST', '/calendar/milestones', {
      kind: 'concluding_observations',
      state: 'SVN',
      body: 'CEDAW',
      documentSymbol: 'CEDAW/C/SVN/CO/7',
      adoptedOn: '2023-10-27',
      followUpParagraphs: ['12', '24 (b)'],
      nextPeriodicReport: { dueOn: '2027-10-31' },
    });
    expect(seventh.status).toBe(201);
    expect(seventh.body.added.map((entry: any) => [entry.kind, entry.cycle, entry.dueOn])).toEqual([
      ['tb_follow_up_report', '7', '2025-10-27'],
      ['tb_periodic_report', '8', '2027-10-31'],
    ]);

    const eighth = await send('POST', '/calendar/milestones', {
      kind: 'concluding_observations',
      state: 'SVN',
      body: 'CEDAW',
      documentSymbol: 'CEDAW/C/SVN/CO/8',
      adoptedOn: '2027-11-01',
      followUpParagraphs: ['10'],
    });
    expect(eighth.status).toBe(201);
    expect(
      eighth.body.closed.map((entry: any) => [entry.kind, entry.cycle, entry.status, entry.sequence]),
    ).toEqual([
      ['tb_follow_up_report', '7', 'closed', 1],
      ['tb_periodic_report', '8', 'closed', 1],
    ]);
    const open = await calendar('?mechanism=treaty_body&status=open');
    expect(open.map((entry) => [entry.kind, entry.cycle, entry.dueOn])).toEqual([
      ['tb_follow_up_report', '8', '2029-11-01'],
    ]);
    const closedFollowUp = eighth.body.closed[0];
    expect((await events(closedFollowUp.id)).at(-1)).toMatchObject({
      change: ReportingDeadlineChange.CLOSED,
      open: false,
      sequence: 1,
    });
  });

  it('refuses a milestone the rules cannot read with 422 naming the field, and a wrong shape with 400, writing nothing', async () => {
    const before = await counts();
    const late = await send('POST', '/calendar/milestones', { ...UPR_CYCLE_4, adoptedOn: '2024-01-01' });
    expect(late.status).toBe(422);
    expect(late.body.errors).toEqual([{ field: 'adoptedOn', messages: ['must not be before reviewedOn'] }]);

    const wrongCommittee = await send('POST', '/calendar/milestones', {
      kind: 'concluding_observations',
      state: 'SVN',
      body: 'CEDAW',
      documentSymbol: 'CRC/C/SVN/CO/5',
      adoptedOn: '2023-10-27',
      followUpParagraphs: [],
    });
    expect(wrongCommittee.status).toBe(422);
    expect(wrongCommittee.body.errors[0].field).toBe('documentSymbol');

    const missing = await send('POST', '/calendar/milestones', {
      kind: 'manual',
      state: 'SVN',
      mechanism: 'regional',
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].field).toBe('body');

    const unknownField = await send('POST', '/calendar/milestones', { ...UPR_CYCLE_4, colour: 'red' });
    expect(unknownField.status).toBe(400);
    const badDay = await send('POST', '/calendar/milestones', {
      ...UPR_CYCLE_4,
      reviewedOn: '5 November 2024',
    });
    expect(badDay.status).toBe(400);
    expect(badDay.body.errors[0].field).toBe('reviewedOn');
    const badFilter = await send('GET', '/calendar?kind=birthday');
    expect(badFilter.status).toBe(400);
    expect((await send('GET', '/calendar?from=2026-02-30')).status).toBe(400);
    expect((await send('GET', '/calendar?to=2026-01-01&to=2026-02-01')).status).toBe(400);
    expect(await counts()).toBe(before);
  });

  it('lets the coordinator enter, move and close a deadline by hand, and not a derived one', async () => {
    const entered = await send('POST', '/calendar/milestones', {
      kind: 'manual',
      state: 'SVN',
      mechanism: 'national_plan',
      body: 'National action plan on business and human rights',
      reference: '2026 annual report',
      title: 'Annual implementation report',
      dueOn: '2027-03-31',
    });
    expect(entered.status).toBe(201);
    const [entry] = entered.body.added;
    expect(entry).toMatchObject({ kind: 'manual', source: null, dueOn: '2027-03-31', sequence: 0 });

    const moved = await send('PUT', `/calendar/entries/${entry.id}`, {
      title: 'Annual implementation report',
      dueOn: '2027-04-30',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: entry.id, dueOn: '2027-04-30', status: 'open', sequence: 1 });

    const closed = await send('DELETE', `/calendar/entries/${entry.id}`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id: entry.id, status: 'closed', sequence: 2 });
    expect((await events(entry.id)).map((event) => event.change)).toEqual([
      ReportingDeadlineChange.SCHEDULED,
      ReportingDeadlineChange.UPDATED,
      ReportingDeadlineChange.CLOSED,
    ]);
    const closedAgain = await send('DELETE', `/calendar/entries/${entry.id}`);
    expect(closedAgain.body.sequence).toBe(2);
    expect(await events(entry.id)).toHaveLength(3);

    const [derived] = await calendar('?kind=upr_mid_term_report');
    expect(
      (await send('PUT', `/calendar/entries/${derived.id}`, { title: 'x', dueOn: '2027-01-01' })).status,
    ).toBe(409);
    expect((await send('DELETE', `/calendar/entries/${derived.id}`)).status).toBe(409);
    const unknown = '7d0e4b58-31a4-4f5e-9d1c-6f0b9a2c1e11';
    expect((await send('DELETE', `/calendar/entries/${unknown}`)).status).toBe(404);
    expect(
      (await send('PUT', `/calendar/entries/not-a-uuid`, { title: 'x', dueOn: '2027-01-01' })).status,
    ).toBe(400);
  });

  it('filters by dates and gives the text in the language asked for', async () => {
    const window = await calendar('?from=2027-01-01&to=2027-12-31&lang=fr');
    expect(window.length).toBeGreaterThan(0);
    expect(window.every((entry) => entry.dueOn >= '2027-01-01' && entry.dueOn <= '2027-12-31')).toBe(true);
    const midTerm = window.find((entry) => entry.kind === 'upr_mid_term_report');
    expect(midTerm.titleText).toBe('EPU : rapport à mi-parcours, cycle 4');
    expect(midTerm.title).toEqual({
      key: 'upr_mid_term_report.title',
      params: { body: 'UPR', cycle: '4', source: 'A/HRC/58/15' },
    });
  });

  it('serves the calendar as an RFC 5545 feed that ical.js reads: moved dates by SEQUENCE, closed ones cancelled', async () => {
    const answer = await send('GET', '/calendar.ics?lang=fr');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/calendar; charset=utf-8');
    const feed = new ICAL.Component(ICAL.parse(answer.text));
    const stored = await calendar();
    const events = feed.getAllSubcomponents('vevent');
    expect(events).toHaveLength(stored.length);

    const byUid = new Map(events.map((event) => [String(event.getFirstPropertyValue('uid')), event]));
    for (const entry of stored) {
      const event = byUid.get(`${entry.id}@reporting-calendar.nmirf.org`);
      expect(event).toBeDefined();
      expect((event!.getFirstPropertyValue('dtstart') as ICAL.Time).toString()).toBe(entry.dueOn);
      expect(Number(event!.getFirstPropertyValue('sequence'))).toBe(entry.sequence);
      const status = entry.status === 'closed' ? 'CANCELLED' : entry.estimated ? 'TENTATIVE' : 'CONFIRMED';
      expect(event!.getFirstPropertyValue('status')).toBe(status);
    }
    const midTerm = stored.find((entry) => entry.kind === 'upr_mid_term_report');
    const midTermEvent = byUid.get(`${midTerm.id}@reporting-calendar.nmirf.org`)!;
    expect(midTermEvent.getFirstPropertyValue('summary')).toBe('EPU : rapport à mi-parcours, cycle 4');
    expect(midTermEvent.getAllSubcomponents('valarm')).toHaveLength(2);

    expect((await send('GET', '/calendar.ics?lang=tlh')).status).toBe(400);
  });

  it('puts an imported UPR outcome or concluding observations on the list to confirm, until a milestone from it is recorded', async () => {
    const service = app.get(CalendarService);
    const imported = (source: Partial<ImportedRecommendationSource>) =>
      dataSource.transaction((manager) =>
        service.recommendationImported(manager, {
          mechanismKind: 'upr',
          mechanism: 'UPR',
          documentSymbol: 'A/HRC/43/15',
          stateUnderReview: 'SVN',
          uprCycle: 3,
          uprSession: 34,
          ...source,
        }),
      );
    await imported({});
    await imported({}); // every recommendation of the document says the same
    await imported({
      mechanismKind: 'treaty_body',
      mechanism: 'CRC',
      documentSymbol: 'CRC/C/SVN/CO/5-6',
      uprCycle: 0,
      uprSession: 0,
    });
    await imported({
      mechanismKind: 'special_procedure',
      mechanism: 'SR-Health',
      documentSymbol: 'A/HRC/50/28/Add.1',
    });
    await imported({ mechanismKind: 'treaty_body', mechanism: 'CRC', documentSymbol: 'CRC/C/OPSC/SVN/CO/1' });

    const listed = await send('GET', '/calendar/documents-to-confirm');
    expect(listed.status).toBe(200);
    expect(
      listed.body.items.map((item: any) => [item.documentSymbol, item.body, item.uprCycle, item.milestone]),
    ).toEqual([
      [
        'A/HRC/43/15',
        'UPR',
        3,
        { kind: 'upr_outcome', state: 'SVN', cycle: 3, documentSymbol: 'A/HRC/43/15' },
      ],
      [
        'CRC/C/SVN/CO/5-6',
        'CRC',
        null,
        { kind: 'concluding_observations', state: 'SVN', body: 'CRC', documentSymbol: 'CRC/C/SVN/CO/5-6' },
      ],
    ]);

    const confirmed = await send('POST', '/calendar/milestones', {
      ...listed.body.items[0].milestone,
      documentSymbol: 'a/hrc/43/15 ',
      reviewedOn: '2019-11-13',
      adoptedOn: '2020-03-12',
    });
    expect(confirmed.status).toBe(201);
    const after = await send('GET', '/calendar/documents-to-confirm');
    expect(after.body.items.map((item: any) => item.documentSymbol)).toEqual(['CRC/C/SVN/CO/5-6']);
  });
});

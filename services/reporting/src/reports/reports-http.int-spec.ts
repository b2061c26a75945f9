import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ActionStatus, timestampFromDate } from '@nmirf/contracts';
import { applyHttpConventions, CONFIG } from '@nmirf/platform';
import { http } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startReportingFixture, type ReportingFixture } from '../testing/reporting-fixture';
import { SummaryController } from '../summary/summary.controller';
import { SummaryService } from '../summary/summary.service';
import { ReportCompiler } from './report-compiler';
import { ReportJobs } from './report-jobs';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

jest.setTimeout(60_000);

describe('reporting HTTP API', () => {
  let fixture: ReportingFixture;
  let app: INestApplication;
  let base: string;
  const enqueueCompile = jest.fn(async () => undefined);

  beforeAll(async () => {
    fixture = await startReportingFixture();
    const actionId = randomUUID();
    await fixture.feed('actionAssigned', actionId, {
      actionId,
      recommendationId: randomUUID(),
      title: 'Publish the annual report, "with annexes"',
      institution: 'Ministry of Justice',
      dueAt: timestampFromDate(new Date(Date.now() + 86_400_000)),
      previousInstitution: '',
      status: ActionStatus.IN_PROGRESS,
    });
    const module = await Test.createTestingModule({
      controllers: [ReportsController, SummaryController],
      providers: [
        ReportsService,
        SummaryService,
        { provide: DataSource, useValue: fixture.dataSource },
        { provide: ReportJobs, useValue: { enqueueCompile } },
        { provide: CONFIG, useValue: fixture.config },
      ],
    }).compile();
    app = module.createNestApplication({ logger: false });
    applyHttpConventions(app);
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await fixture?.close();
  });

  it('refuses unknown kinds, formats and fields, naming each', async () => {
    const response = await http('POST', `${base}/reports`, { kind: 'budget', format: 'odt', extra: 1 });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'extra',
      'format',
      'kind',
    ]);
    expect(enqueueCompile).not.toHaveBeenCalled();
  });

  it('refuses a format the kind is not produced in, a missing or malformed parameter, naming the field', async () => {
    const fields = async (body: object) => {
      const response = await http('POST', `${base}/reports`, body);
      expect(response.status).toBe(400);
      return response.body.errors.map((error: { field: string }) => error.field).sort();
    };
    expect(await fields({ kind: 'task-list', format: 'docx', institution: 'Ministry of Justice' })).toEqual([
      'format',
    ]);
    expect(await fields({ kind: 'upr-annex', format: 'pdf', state: 'SVN' })).toEqual(['cycle']);
    expect(
      await fields({ kind: 'upr-annex', format: 'pdf', state: 'svn', cycle: '3', language: 'de' }),
    ).toEqual(['cycle', 'language', 'state']);
    expect(await fields({ kind: 'treaty-follow-up', format: 'pdf', paragraphs: ['=1+1'] })).toEqual([
      'paragraphs',
    ]);
    expect(enqueueCompile).not.toHaveBeenCalled();
  });

  it('accepts a report, enqueues it, and serves the file once it is compiled', async () => {
    const requested = await http('POST', `${base}/reports`, {
      kind: 'action-progress',
      format: 'csv',
      institution: 'Ministry of Justice',
    });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({
      kind: 'action-progress',
      format: 'csv',
      status: 'queued',
      filters: { institution: 'Ministry of Justice' },
    });
    const id = requested.body.id as string;
    expect(enqueueCompile).toHaveBeenCalledWith(id, expect.objectContaining({ correlationId: undefined }));

    expect((await http('GET', `${base}/reports/${id}/file`)).status).toBe(409);

    await new ReportCompiler(fixture.dataSource, fixture.outbox, fixture.reportsDir).compile(id);
    expect((await http('GET', `${base}/reports/${id}`)).body).toMatchObject({ status: 'ready', rowCount: 1 });
    const file = await fetch(`${base}/reports/${id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${id}.csv"`);
    const lines = (await file.text()).split('\r\n');
    expect(lines[0]).toMatch(/^action_id,recommendation_id,/);
    expect(lines[1]).toContain('"Publish the annual report, ""with annexes"""');
  });

  it('lists reports newest first, a page at a time', async () => {
    await http('POST', `${base}/reports`, { kind: 'action-progress', format: 'csv' });
    const page = await http('GET', `${base}/reports?limit=1&offset=0`);
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(2);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0].filters).toEqual({});
    expect((await http('GET', `${base}/reports?limit=0`)).status).toBe(400);
  });

  it('answers 404 for an unknown report and 400 for an id that is not one', async () => {
    const unknown = randomUUID();
    expect((await http('GET', `${base}/reports/${unknown}`)).status).toBe(404);
    expect((await http('GET', `${base}/reports/${unknown}/file`)).status).toBe(404);
    expect((await http('GET', `${base}/reports/not-a-uuid`)).status).toBe(400);
  });

  it('serves the summary, filtered by institution', async () => {
    const all = await http('GET', `${base}/summary`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 1, byStatus: { in_progress: 1 }, overdue: 0 });
    expect(typeof all.body.asOf).toBe('string');
    const none = await http('GET', `${base}/summary?institution=${encodeURIComponent('Ministry of Health')}`);
    expect(none.body).toMatchObject({ total: 0, byInstitution: [] });
  });
});

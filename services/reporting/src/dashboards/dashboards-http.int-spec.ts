import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { applyHttpConventions } from '@nmirf/platform';
import { http } from '@nmirf/testing';
import { DataSource } from 'typeorm';
import { startReportingFixture, type ReportingFixture } from '../testing/reporting-fixture';
import { DashboardsController } from './dashboards.controller';
import { DashboardsService } from './dashboards.service';

jest.setTimeout(60_000);

describe('dashboards HTTP API: bad queries are refused by name', () => {
  let fixture: ReportingFixture;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    fixture = await startReportingFixture();
    const module = await Test.createTestingModule({
      controllers: [DashboardsController],
      providers: [DashboardsService, { provide: DataSource, useValue: fixture.dataSource }],
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

  const fields = async (path: string) => {
    const response = await http('GET', `${base}${path}`);
    expect({ path, status: response.status }).toEqual({ path, status: 400 });
    return response.body.errors.map((error: { field: string }) => error.field).sort();
  };

  it('answers an empty read model with zeros and the query of each number', async () => {
    const counts = await http('GET', `${base}/dashboards/actions/counts?by=sdg_goal&sdgTarget=16.3`);
    expect(counts.status).toBe(200);
    expect(counts.body).toMatchObject({
      scope: 'public',
      by: 'sdg_goal',
      total: { count: 0, query: { sdgTarget: '16.3' } },
      groups: [],
    });
    const deadlines = await http('GET', `${base}/dashboards/deadlines?institution=Ministry%20of%20Justice`);
    expect(deadlines.body.overdue).toEqual({
      count: 0,
      query: { institution: 'Ministry of Justice', due: 'overdue' },
    });
    const series = await http(
      'GET',
      `${base}/dashboards/series/implementation-status?from=2026-01-01&to=2026-02-28`,
    );
    expect(series.body.months.map((month: { month: string }) => month.month)).toEqual(['2026-01', '2026-02']);
  });

  it('refuses unknown dimensions, statuses, fields and malformed values', async () => {
    expect(await fields('/dashboards/actions/counts?by=ministry')).toEqual(['by']);
    expect(await fields('/dashboards/actions/counts')).toEqual(['by']);
    expect(await fields('/dashboards/actions/counts?by=status&status=done&due=45&extra=1')).toEqual([
      'due',
      'extra',
      'status',
    ]);
    expect(
      await fields('/dashboards/recommendations/counts?by=theme&sdgGoal=18&sdgTarget=16&cycle=0'),
    ).toEqual(['cycle', 'sdgGoal', 'sdgTarget']);
    expect(await fields('/dashboards/actions?planId=plan-1&recommendationId=1&limit=501')).toEqual([
      'limit',
      'planId',
      'recommendationId',
    ]);
    expect(await fields('/dashboards/recommendations?theme=%20ratification&cluster=x')).toEqual([
      'cluster',
      'theme',
    ]);
    expect(await fields('/dashboards/series/implementation-status?from=2026-02-30&to=2026')).toEqual([
      'from',
      'to',
    ]);
    expect(await fields('/dashboards/actions?status=assigned&status=completed')).toEqual(['status']);
    expect(await fields('/dashboards/recommendations/counts?by=cluster&top=0')).toEqual(['top']);
    expect(await fields('/dashboards/actions/counts?by=plan&top=5001')).toEqual(['top']);
  });

  it('pages a list after the cursor of the page before, and refuses a cursor that is not one', async () => {
    const recommendationCursor = Buffer.from(
      JSON.stringify(['r', 'A/HRC/43/15', '140.1', '6f1c2d3e-0000-4000-8000-000000000001']),
    ).toString('base64url');
    const actionCursor = Buffer.from(
      JSON.stringify(['a', '2026-03-01 10:00:00.123456+00', '6f1c2d3e-0000-4000-8000-000000000001']),
    ).toString('base64url');
    expect(await fields('/dashboards/actions?after=garbage')).toEqual(['after']);
    expect(await fields(`/dashboards/actions?after=${recommendationCursor}`)).toEqual(['after']);
    expect(await fields(`/dashboards/actions?after=${actionCursor}&offset=50`)).toEqual(['after']);
    expect(await fields(`/dashboards/recommendations?after=${actionCursor}`)).toEqual(['after']);
    for (const [path, cursor] of [
      ['actions', actionCursor],
      ['recommendations', recommendationCursor],
    ]) {
      const page = await http('GET', `${base}/dashboards/${path}?after=${cursor}&limit=10`);
      expect({ path, status: page.status, body: page.body }).toEqual({
        path,
        status: 200,
        body: { items: [], total: 0, next: null },
      });
    }
  });
});

import type { DataSource } from 'typeorm';
import { ReportJobSource } from './report-reconciler';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('ReportJobSource', () => {
  it('plans one compile job, due now, for every queued or compiling report, a page at a time', async () => {
    const pending = Array.from({ length: 501 }, (_, n) => ({ id: id(n) }));
    const query = jest.fn(async (_sql: string, [after]: [string | null]) =>
      pending.filter((row) => after === null || row.id > after).slice(0, 500),
    );
    const now = new Date('2026-06-01T00:00:00.000Z');

    const planned = [];
    for await (const job of new ReportJobSource({ query } as unknown as DataSource).expected({
      now,
      until: now,
    }))
      planned.push(job);

    expect(planned).toHaveLength(501);
    expect(planned[500]).toEqual({
      id: `report-${id(500)}`,
      kind: 'compile-report',
      data: { reportId: id(500) },
      runAt: now,
      row: id(500),
    });
    expect(query).toHaveBeenCalledTimes(2);
    expect(query.mock.calls[0][0]).toMatch(/status IN \('queued', 'compiling'\)/);
  });
});

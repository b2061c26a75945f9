import { Logger } from '@nestjs/common';
import { DependencyUnavailableError } from '@nmirf/platform';
import type { DataSource } from 'typeorm';
import type { ReportJobs } from './report-jobs';
import { ReportReconciler } from './report-reconciler';

const reports = ['report-a', 'report-b', 'report-c'];

function reconcilerWith(ensurePending: jest.Mock) {
  const dataSource = {
    query: jest.fn().mockResolvedValue(reports.map((id) => ({ id }))),
  } as unknown as DataSource;
  return new ReportReconciler(dataSource, { ensurePending } as unknown as ReportJobs);
}

describe('ReportReconciler', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('logs a report it cannot restore and goes on with the next ones', async () => {
    const ensurePending = jest.fn(async (id: string) => {
      if (id === 'report-b') throw new Error('Job data is not valid JSON');
      return 'added';
    });

    expect(await reconcilerWith(ensurePending).reconcile()).toBe(2);
    expect(ensurePending).toHaveBeenCalledWith('report-c');
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ reportId: 'report-b' }));
  });

  it('ends the round when Redis is down rather than failing every report one by one', async () => {
    const ensurePending = jest.fn(async (id: string) => {
      if (id === 'report-b') throw new DependencyUnavailableError('Redis', 'Connection is closed.');
      return 'present';
    });

    await expect(reconcilerWith(ensurePending).reconcile()).rejects.toThrow('Connection is closed.');
    expect(ensurePending).not.toHaveBeenCalledWith('report-c');
  });
});

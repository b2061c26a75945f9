import type { Job } from 'bullmq';
import type { ReportCompiler } from './report-compiler';
import type { CompileReportJob } from './report-jobs';
import { compileReportProcessor } from './report-worker';

const reportId = '3c1f0e2d-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const job = (attemptsMade: number) =>
  ({ data: { reportId }, attemptsMade, opts: { attempts: 3 } }) as unknown as Job<CompileReportJob>;

describe('compile-report processor', () => {
  const failing = () => {
    const compiler = { compile: jest.fn().mockRejectedValue(new Error('disk full')), markFailed: jest.fn() };
    return { compiler, process: compileReportProcessor(compiler as unknown as ReportCompiler) };
  };

  it('leaves the report compiling while retries remain', async () => {
    const { compiler, process } = failing();
    await expect(process(job(1))).rejects.toThrow('disk full');
    expect(compiler.markFailed).not.toHaveBeenCalled();
  });

  it('marks the report failed, with the error, after the last attempt', async () => {
    const { compiler, process } = failing();
    await expect(process(job(2))).rejects.toThrow('disk full');
    expect(compiler.markFailed).toHaveBeenCalledWith(reportId, 'disk full');
  });
});

import 'reflect-metadata';
import { loadConfigOrExit, runProcess, startWorkerProcess } from '@nmirf/platform';
import { mkdir } from 'node:fs/promises';
import { reportingWorkerConfigSchema } from './config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(reportingWorkerConfigSchema);
  await mkdir(config.REPORTS_DIR, { recursive: true });
  await startWorkerProcess(WorkerModule.forRoot(config), config);
}

runProcess(main);

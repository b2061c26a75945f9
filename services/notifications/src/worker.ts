import 'reflect-metadata';
import { loadConfigOrExit, runProcess, startWorkerProcess } from '@nmirf/platform';
import { workerConfigSchema } from './config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(workerConfigSchema);
  await startWorkerProcess(WorkerModule.forRoot(config), config);
}

runProcess(main);

import 'reflect-metadata';
import { loadConfigOrExit, runProcess, startWorkerProcess } from '@nmirf/platform';
import { recommendationsWorkerConfigSchema } from './config';
import { WorkerModule } from './worker.module';

/** The recommendations worker: the service's image, started with `node dist/worker.js`. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(recommendationsWorkerConfigSchema);
  await startWorkerProcess(WorkerModule.forRoot(config), config);
}

runProcess(main);

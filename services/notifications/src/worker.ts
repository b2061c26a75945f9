import 'reflect-metadata';
import { loadConfigOrExit, startWorkerProcess } from '@nmirf/platform';
import { workerConfigSchema } from './config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(workerConfigSchema);
  await startWorkerProcess(WorkerModule.forRoot(config), config);
}

main().catch((error) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'start-up failed', error: String(error?.stack ?? error) })}\n`);
  process.exit(1);
});

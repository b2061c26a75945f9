import 'reflect-metadata';
import { loadConfigOrExit, startWorkerProcess } from '@nmirf/platform';
import { mkdir } from 'node:fs/promises';
import { reportingWorkerConfigSchema } from './config';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit(reportingWorkerConfigSchema);
  await mkdir(config.REPORTS_DIR, { recursive: true });
  const app = await startWorkerProcess(WorkerModule.forRoot(config), config);
  // startWorkerProcess buffers Nest's logs and never releases them (an application context, unlike
  // an HTTP app, only flushes on useLogger); without this the worker logs nothing after start-up.
  app.flushLogs();
}

main().catch((error) => {
  process.stderr.write(
    `${JSON.stringify({ level: 'error', msg: 'start-up failed', error: String(error?.stack ?? error) })}\n`,
  );
  process.exit(1);
});

import 'reflect-metadata';
import { loadConfigOrExit, migrate, startApiProcess } from '@nmirf/platform';
import { AppModule } from './app.module';
import { recommendationsConfigSchema } from './config';
import { entities, migrations, SCHEMA } from './database';

async function main(): Promise<void> {
  const config = loadConfigOrExit(recommendationsConfigSchema);
  if (process.argv.includes('--migrate')) {
    await migrate({ url: config.DATABASE_URL, schema: SCHEMA, entities, migrations });
    return;
  }
  await startApiProcess({
    module: AppModule.forRoot(config),
    config,
    title: 'Recommendations',
    description: 'Recommendations received from the UN human-rights mechanisms, regional bodies and national plans.',
  });
}

main().catch((error) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'start-up failed', error: String(error?.stack ?? error) })}\n`);
  process.exit(1);
});

import 'reflect-metadata';
import { loadConfigOrExit, migrateIfRequested, runProcess, startApiProcess } from '@nmirf/platform';
import { AppModule } from './app.module';
import { recommendationsConfigSchema } from './config';
import { entities, migrations, SCHEMA } from './database';

async function main(): Promise<void> {
  const config = loadConfigOrExit(recommendationsConfigSchema);
  if (await migrateIfRequested(config, { schema: SCHEMA, entities, migrations })) return;
  await startApiProcess({
    module: AppModule.forRoot(config),
    config,
    title: 'Recommendations',
    description:
      'Recommendations received from the UN human-rights mechanisms, regional bodies and national plans.',
  });
}

runProcess(main);

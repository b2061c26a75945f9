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
    consumerGroup: `${config.KAFKA_TOPIC_PREFIX}recommendations`,
    // Only the implementation status rolled up by the actions service; its own topic it only writes.
    consumedTopics: (topics) => topics.filter((topic) => topic.endsWith('implementation.v1')),
  });
}

runProcess(main);

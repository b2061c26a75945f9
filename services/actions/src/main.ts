import 'reflect-metadata';
import { loadConfigOrExit, migrateIfRequested, runProcess, startApiProcess } from '@nmirf/platform';
import { AppModule } from './app.module';
import { actionsConfigSchema } from './config';
import { entities, migrations, SCHEMA } from './database';

async function main(): Promise<void> {
  const config = loadConfigOrExit(actionsConfigSchema);
  if (await migrateIfRequested(config, { schema: SCHEMA, entities, migrations })) return;
  await startApiProcess({
    module: AppModule.forRoot(config),
    config,
    title: 'Actions',
    description:
      'Implementation plans: actions per recommendation, assignment to institutions, progress and status.',
    consumerGroup: `${config.KAFKA_TOPIC_PREFIX}actions`,
    consumedTopics: (topics) => topics.filter((topic) => topic.endsWith('recommendation.v1')),
  });
}

runProcess(main);

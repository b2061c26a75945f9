import 'reflect-metadata';
import { topicName } from '@nmirf/contracts';
import { loadConfigOrExit, migrateIfRequested, runProcess, startApiProcess } from '@nmirf/platform';
import { mkdir } from 'node:fs/promises';
import { AppModule } from './app.module';
import { reportingConfigSchema } from './config';
import { entities, migrations, SCHEMA } from './database';

async function main(): Promise<void> {
  const config = loadConfigOrExit(reportingConfigSchema);
  if (await migrateIfRequested(config, { schema: SCHEMA, entities, migrations })) return;
  await mkdir(config.REPORTS_DIR, { recursive: true });
  const ownTopic = topicName('reports', config.KAFKA_TOPIC_PREFIX);
  await startApiProcess({
    module: AppModule.forRoot(config),
    config,
    title: 'Reporting',
    description:
      'Dashboards and compiled reports on the follow-up of recommendations, from every service’s events.',
    consumerGroup: `${config.KAFKA_TOPIC_PREFIX}reporting`,
    // Everything but its own reports topic, which only announces what this service did.
    consumedTopics: (topics) => topics.filter((topic) => topic !== ownTopic),
  });
}

runProcess(main);

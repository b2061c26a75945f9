import 'reflect-metadata';
import { topicName } from '@nmirf/contracts';
import { loadConfigOrExit, migrateIfRequested, runProcess, startApiProcess } from '@nmirf/platform';
import { AppModule } from './app.module';
import { notificationsConfigSchema } from './config';
import { entities, migrations, SCHEMA } from './database';

async function main(): Promise<void> {
  const config = loadConfigOrExit(notificationsConfigSchema);
  if (await migrateIfRequested(config, { schema: SCHEMA, entities, migrations })) return;
  const consumed = new Set(
    (['actions', 'calendar', 'indicators', 'comments', 'institutions', 'progressReports'] as const).map(
      (key) => topicName(key, config.KAFKA_TOPIC_PREFIX),
    ),
  );
  await startApiProcess({
    module: AppModule.forRoot(config),
    config,
    title: 'Notifications',
    description:
      'Institution inboxes, deadlines of actions, reporting deadlines and indicators, comments that concern an institution, reminders before due dates and escalation when overdue.',
    consumerGroup: `${config.KAFKA_TOPIC_PREFIX}notifications`,
    consumedTopics: (topics) => topics.filter((topic) => consumed.has(topic)),
  });
}

runProcess(main);

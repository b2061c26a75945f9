import 'reflect-metadata';
import { loadConfigOrExit, migrate, startApiProcess } from '@nmirf/platform';
import { AppModule } from './app.module';
import { actionsConfigSchema } from './config';
import { entities, migrations, SCHEMA } from './database';

async function main(): Promise<void> {
  const config = loadConfigOrExit(actionsConfigSchema);
  if (process.argv.includes('--migrate')) {
    await migrate({ url: config.DATABASE_URL, schema: SCHEMA, entities, migrations });
    return;
  }
  await startApiProcess({
    module: AppModule.forRoot(config),
    config,
    title: 'Actions',
    description: 'Implementation plans: actions per recommendation, assignment to institutions, progress and status.',
    consumerGroup: `${config.KAFKA_TOPIC_PREFIX}actions`,
    consumedTopics: (topics) => topics.filter((topic) => topic.endsWith('recommendation.v1')),
  });
}

main().catch((error) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'start-up failed', error: String(error?.stack ?? error) })}\n`);
  process.exit(1);
});

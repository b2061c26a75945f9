import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { CONFIG, type PlatformConfig } from '../config/load-config';
import { IdempotencyInterceptor, IdempotentReplayFilter } from '../idempotency/idempotency.interceptor';
import { JsonLogger } from '../observability/json-logger';
import { ProblemFilter } from './problem.filter';
import { strictValidationPipe } from './validation';

export interface HttpAppOptions {
  title: string;
  description: string;
  logger: JsonLogger;
}

/**
 * Strict validation with field errors, the platform's error shape, and Idempotency-Key on POSTs when
 * the app has a database; tests apply it to their apps too.
 */
export function applyHttpConventions(app: INestApplication): void {
  app.useGlobalPipes(strictValidationPipe());
  // The later filter is tried first: replays, then every other error.
  app.useGlobalFilters(new ProblemFilter(), new IdempotentReplayFilter());
  const dataSource = optional(() => app.get(DataSource, { strict: false }));
  const config = optional(() => app.get<PlatformConfig>(CONFIG, { strict: false }));
  if (dataSource)
    app.useGlobalInterceptors(new IdempotencyInterceptor(dataSource, config?.IDEMPOTENCY_KEY_HOURS ?? 48));
}

function optional<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

/** A Nest HTTP app with the platform's validation, error shape, OpenAPI page at /docs and shutdown hooks. */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  options: HttpAppOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { logger: options.logger, bufferLogs: true });
  applyHttpConventions(app);
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion('1').build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

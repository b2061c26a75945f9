import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { recordRefusal } from '../audit/audit-trail';
import { protectRoutes } from '../auth/protect-routes';
import { CONFIG, type PlatformConfig } from '../config/load-config';
import { IdempotencyInterceptor, IdempotentReplayFilter } from '../idempotency/idempotency.interceptor';
import { JsonLogger } from '../observability/json-logger';
import { httpMetrics, serveMetrics } from '../observability/metrics-http';
import { REDIS } from '../platform.module';
import { CorrelationMiddleware } from './correlation.middleware';
import { rateLimit } from './rate-limit';
import { applyHttpHardening } from './hardening';
import { ProblemFilter } from './problem.filter';
import { strictValidationPipe } from './validation';

export interface HttpAppOptions {
  title: string;
  description: string;
  logger: JsonLogger;
}

/**
 * Strict validation with field errors, the platform's error shape, and Idempotency-Key on POSTs when
 * given the app's database; tests apply it to their apps too.
 */
export function applyHttpConventions(
  app: INestApplication,
  idempotency?: { dataSource: DataSource; keepHours: number },
): void {
  app.useGlobalPipes(strictValidationPipe());
  // The later filter is tried first: replays, then every other error.
  app.useGlobalFilters(new ProblemFilter(), new IdempotentReplayFilter());
  if (idempotency)
    app.useGlobalInterceptors(new IdempotencyInterceptor(idempotency.dataSource, idempotency.keepHours));
}

/**
 * A Nest HTTP app with the platform's hardening (limits, timeouts, security headers, CORS), validation,
 * error shape, OpenAPI page at /docs (unless HTTP_DOCS_ENABLED=false) and shutdown hooks.
 */
export async function createHttpApp(
  module: Type<unknown> | DynamicModule,
  options: HttpAppOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, { logger: options.logger, bufferLogs: true });
  const config = app.get<PlatformConfig>(CONFIG);
  // First, so that every answer carries the correlation id, a refused body's too.
  const correlation = new CorrelationMiddleware();
  app.use(correlation.use.bind(correlation));
  if (config.METRICS_ENABLED) {
    app.use(httpMetrics);
    // Outside Nest's guards: Prometheus sends no OpenID token (METRICS_TOKEN guards it instead).
    app.use('/metrics', serveMetrics(config.METRICS_TOKEN));
  }
  // Before any body is read: a client over its limit costs no parsing.
  app.use(
    rateLimit(app.get(REDIS), {
      perToken: config.RATE_LIMIT_PER_TOKEN,
      perAddress: config.RATE_LIMIT_PER_ADDRESS,
      windowSeconds: 60,
      prefix: `${config.QUEUE_PREFIX}:rate:${config.SERVICE_NAME}`,
    }),
  );
  applyHttpHardening(app, config);
  const dataSource = app.get(DataSource);
  protectRoutes(app, config, (refusal) => recordRefusal(dataSource, refusal));
  applyHttpConventions(app, { dataSource, keepHours: config.IDEMPOTENCY_KEY_HOURS });
  app.enableShutdownHooks();
  if (config.HTTP_DOCS_ENABLED === false) return app;
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(options.title)
      .setDescription(options.description)
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { JsonLogger } from '../observability/json-logger';
import { ProblemFilter } from './problem.filter';
import { strictValidationPipe } from './validation';

export interface HttpAppOptions {
  title: string;
  description: string;
  logger: JsonLogger;
}

/** Strict validation with field errors and the platform's error shape; tests apply it to their apps too. */
export function applyHttpConventions(app: INestApplication): void {
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
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

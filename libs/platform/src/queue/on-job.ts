import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { JobProcessor, JobTrace } from './job-queue';

const ON_JOB = Symbol('nmirf:on-job');

/**
 * Marks a provider's method as the handler of one job kind. The method receives the BullMQ job and
 * hands it to a use case; the worker does nothing else with it.
 */
export function OnJob(kind: string): MethodDecorator {
  return (_target, _key, descriptor) => {
    const kinds: string[] = Reflect.getOwnMetadata(ON_JOB, descriptor.value as object) ?? [];
    Reflect.defineMetadata(ON_JOB, [...kinds, kind], descriptor.value as object);
    return descriptor;
  };
}

/** A queue whose declared kinds lack a handler, or have two: the process must not start. */
export class JobHandlerError extends Error {
  override readonly name = 'JobHandlerError';
}

interface FoundHandler {
  kind: string;
  where: string;
  run: JobProcessor<JobTrace>;
}

function handlersOf(instance: object): FoundHandler[] {
  const found: FoundHandler[] = [];
  const seen = new Set<string>();
  for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype;) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor' || seen.has(key)) continue;
      seen.add(key);
      const method = Object.getOwnPropertyDescriptor(proto, key)?.value as unknown;
      if (typeof method !== 'function') continue;
      const kinds: string[] | undefined = Reflect.getOwnMetadata(ON_JOB, method);
      for (const kind of kinds ?? []) {
        found.push({
          kind,
          where: `${instance.constructor.name}.${key}`,
          run: (job) => (method as JobProcessor<JobTrace>).call(instance, job),
        });
      }
    }
    proto = Object.getPrototypeOf(proto);
  }
  return found;
}

/**
 * The `@OnJob` handlers of `kinds` among `instances`, one per kind. A declared kind without a handler,
 * or with two, throws: a job nobody runs, or that two use cases both claim, is caught at start-up
 * rather than when the first such job fails days later. Handlers of other kinds are ignored (they
 * belong to other queues).
 */
export function collectJobHandlers<Data extends JobTrace>(
  queue: string,
  kinds: readonly string[],
  instances: readonly object[],
): Record<string, JobProcessor<Data>> {
  const wanted = new Set(kinds);
  const byKind = new Map<string, FoundHandler[]>();
  for (const instance of new Set(instances)) {
    for (const handler of handlersOf(instance)) {
      if (!wanted.has(handler.kind)) continue;
      byKind.set(handler.kind, [...(byKind.get(handler.kind) ?? []), handler]);
    }
  }
  const missing = kinds.filter((kind) => !byKind.has(kind));
  if (missing.length > 0) {
    throw new JobHandlerError(
      `Queue "${queue}": no @OnJob handler for ${missing.map((k) => `"${k}"`).join(', ')}`,
    );
  }
  const doubled = [...byKind].filter(([, handlers]) => handlers.length > 1);
  if (doubled.length > 0) {
    const list = doubled.map(([kind, handlers]) => `"${kind}" (${handlers.map((h) => h.where).join(', ')})`);
    throw new JobHandlerError(`Queue "${queue}": more than one @OnJob handler for ${list.join('; ')}`);
  }
  return Object.fromEntries([...byKind].map(([kind, [handler]]) => [kind, handler.run])) as Record<
    string,
    JobProcessor<Data>
  >;
}

/** Finds `@OnJob` handlers among the application's providers (needs `DiscoveryModule`). */
@Injectable()
export class JobHandlers {
  constructor(private readonly discovery: DiscoveryService) {}

  /** Handlers among these instances only: for a worker built outside a Nest application (tests). */
  static among(...instances: object[]): JobHandlers {
    return new JobHandlers({
      getProviders: () => instances.map((instance) => ({ instance })),
    } as unknown as DiscoveryService);
  }

  for<Data extends JobTrace>(queue: string, kinds: readonly string[]): Record<string, JobProcessor<Data>> {
    const instances = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is object => typeof instance === 'object' && instance !== null);
    return collectJobHandlers<Data>(queue, kinds, instances);
  }
}

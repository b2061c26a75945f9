import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  correlationId: string;
  /** The event or request that caused the work now running. */
  causationId: string;
  actor?: { kind: 'user' | 'service' | 'system'; id: string; institution?: string };
  /** Set by the HTTP edge for a request with an Idempotency-Key; the outbox records it with the change. */
  idempotency?: { key: string; requestHash: string; recorded?: boolean };
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}

export function newCorrelationId(): string {
  return randomUUID();
}

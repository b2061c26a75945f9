import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface RequestContext {
  correlationId: string;
  /** The event or request that caused the work now running. */
  causationId: string;
  /** The verified caller; `name` is for the audit trail and history, never for logs. */
  actor?: { kind: 'user' | 'service' | 'system'; id: string; institution?: string; name?: string };
  /** Where an HTTP request came from, for the audit trail. */
  client?: { address?: string; userAgent?: string };
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

import { isTransientDatabaseError } from './db/data-source';

/** A rule of the domain was not met. The HTTP edge maps the kind to a status code. */
export class DomainError extends Error {
  constructor(
    readonly kind: 'not_found' | 'conflict' | 'unprocessable',
    message: string,
  ) {
    super(message);
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError('not_found', `${what} ${id} was not found`);
  }
}

export type Dependency = 'PostgreSQL' | 'Redis' | 'Kafka';

/**
 * A dependency did not answer: the same work may well succeed later, so callers retry (HTTP: 503
 * with Retry-After) instead of treating it as a bug.
 */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';

  constructor(
    readonly dependency: Dependency,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// Connection-level failures only: a protocol error such as an unknown topic is a bug, not an outage.
const KAFKA_UNAVAILABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSTimeout',
]);

// ioredis rejects with plain Errors when the connection is down; the replies are Redis refusing work
// while it loads, fails over or is full (noeviction).
const REDIS_UNAVAILABLE =
  /^(Connection is closed|Stream isn't writeable|Reached the max retries per request|(LOADING|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|OOM|MISCONF) )/;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  driverError?: unknown;
}

function classify(error: ErrorLike): Dependency | undefined {
  const name = String(error.name ?? '');
  if (KAFKA_UNAVAILABLE.has(name)) return 'Kafka';
  if (name === 'MaxRetriesPerRequestError') return 'Redis';
  if (REDIS_UNAVAILABLE.test(String(error.message ?? ''))) return 'Redis';
  if (isTransientDatabaseError(error)) return 'PostgreSQL';
  return undefined;
}

/**
 * The dependency outage behind `error` (looking through `cause` and TypeORM's `driverError`), or
 * undefined when the error is the work's own.
 */
export function dependencyUnavailable(error: unknown): DependencyUnavailableError | undefined {
  // Duck-typed, not `instanceof Error`: socket errors come from Node's own realm (e.g. under Jest).
  let current = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 4; depth += 1) {
    if (current instanceof DependencyUnavailableError) return current;
    const found = current as ErrorLike;
    const dependency = classify(found);
    if (dependency) {
      return new DependencyUnavailableError(dependency, String(found.message), { cause: error });
    }
    current = found.driverError ?? found.cause;
  }
  return undefined;
}

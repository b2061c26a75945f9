import type { EntityManager } from 'typeorm';
import type { ImplementationStatus } from './implementation-status';

/**
 * Keeps the recommendation's implementation status for search. Derived data: neither the version
 * nor the history nor `updated_at` move. False when there is no such recommendation.
 */
export async function recordImplementationStatus(
  manager: EntityManager,
  recommendationId: string,
  status: ImplementationStatus,
): Promise<boolean> {
  // The CTE turns the UPDATE into a SELECT, whose result TypeORM returns as plain rows.
  const [{ found }] = await manager.query(
    `WITH target AS (
       UPDATE recommendations SET implementation_status = $2 WHERE id = $1 RETURNING 1)
     SELECT count(*)::int AS found FROM target`,
    [recommendationId, status],
  );
  return found > 0;
}

import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/** How many sets of institutions (focal points acting for several) a process has counted, at most. */
export const INSTITUTION_GROUP_LIMIT = Symbol('INSTITUTION_GROUP_LIMIT');
export const DEFAULT_INSTITUTION_GROUP_LIMIT = 200;

const memberKey = (institutions: readonly string[]) =>
  [...new Set(institutions.map((id) => id.toLowerCase()))].sort().join('\n');

/**
 * The counter scopes of sets of institutions (migration 1767000001060). A set is counted once, the
 * first time someone acting for it opens a dashboard: that count runs in the background, chunk by
 * chunk (each holds the read model's writers back for a moment), and meanwhile the set's numbers
 * are counted from the rows. A failed count is logged and tried again on a later request. Sets counted are
 * remembered, and so are the ones other processes counted once asked for.
 */
export class InstitutionGroups {
  private readonly logger = new Logger(InstitutionGroups.name);
  private readonly counted = new Map<string, string>();
  private readonly pending = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly limit: number,
  ) {}

  /**
   * The set's counter scope if it is counted (by this process or another); if not, undefined and its
   * count started.
   */
  async scopeOf(institutions: readonly string[]): Promise<string | undefined> {
    const key = memberKey(institutions);
    const known = this.counted.get(key);
    if (known !== undefined || this.pending.has(key) || this.limit <= 0) return known;
    const [found]: Array<{ scope: string }> = await this.dataSource.query(
      `SELECT scope FROM dashboard_scope_group
        WHERE institutions @> $1::text[] AND institutions <@ $1::text[] AND counted_chunks >= 64`,
      [key.split('\n')],
    );
    if (found) this.counted.set(key, found.scope);
    else if (this.counted.size + this.pending.size < this.limit) void this.count(institutions);
    return found?.scope;
  }

  /** Counts the set now unless it is (what `scopeOf` starts); undefined when it cannot be. */
  count(institutions: readonly string[]): Promise<string | undefined> {
    const key = memberKey(institutions);
    const counted = this.counted.get(key);
    if (counted !== undefined) return Promise.resolve(counted);
    if (this.limit <= 0) return Promise.resolve(undefined);
    const pending =
      this.pending.get(key) ??
      this.dataSource
        .query(`SELECT register_dashboard_scope_group($1::text[]) AS scope`, [key.split('\n')])
        .then(async ([{ scope }]: Array<{ scope: string }>) => {
          await this.dataSource.query(`CALL count_dashboard_scope_group($1)`, [scope]);
          this.counted.set(key, scope);
          return scope;
        })
        .catch((error: unknown) => {
          this.logger.warn(
            `counting the dashboards of ${key.split('\n').join(', ')} failed: ${(error as Error).message}`,
          );
          return undefined;
        })
        .finally(() => this.pending.delete(key));
    this.pending.set(key, pending);
    return pending;
  }

  /** Waits for the counts in flight (before the connection closes). */
  async settled(): Promise<void> {
    await Promise.all(this.pending.values());
  }
}

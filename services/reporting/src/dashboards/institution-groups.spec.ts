import type { DataSource } from 'typeorm';
import { InstitutionGroups } from './institution-groups';

/** A database whose group count waits until released, recording what was asked. */
function fakeDatabase(counted: string[] = []) {
  const asked: string[] = [];
  let release: () => void = () => undefined;
  const counting = new Promise<void>((resolve) => (release = resolve));
  const query = async (sql: string, params: unknown[]) => {
    asked.push(sql.trim().split(/\s+/).slice(0, 2).join(' '));
    if (sql.includes('FROM dashboard_scope_group'))
      return counted.includes(JSON.stringify(params[0])) ? [{ scope: 'found' }] : [];
    if (sql.includes('register_dashboard_scope_group'))
      return [{ scope: `{${(params[0] as string[]).join(',')}}` }];
    await counting;
    return [];
  };
  return { dataSource: { query } as unknown as DataSource, asked, release };
}

describe('InstitutionGroups', () => {
  it('answers from the rows while a set is counted in the background, then from its counters', async () => {
    const { dataSource, asked, release } = fakeDatabase();
    const groups = new InstitutionGroups(dataSource, 10);
    expect(await groups.scopeOf(['Justice', 'health'])).toBeUndefined();
    // The same set asked again while counting: no second count.
    expect(await groups.scopeOf(['health', 'justice'])).toBeUndefined();
    release();
    await groups.settled();
    expect(await groups.scopeOf(['justice', 'HEALTH'])).toBe('{health,justice}');
    expect(asked.filter((sql) => sql === 'CALL count_dashboard_scope_group($1)')).toHaveLength(1);
  });

  it('finds a set another process counted', async () => {
    const { dataSource, asked } = fakeDatabase([JSON.stringify(['health', 'justice'])]);
    const groups = new InstitutionGroups(dataSource, 10);
    expect(await groups.scopeOf(['justice', 'health'])).toBe('found');
    expect(asked.some((sql) => sql.startsWith('CALL'))).toBe(false);
  });

  it('counts no more sets than its limit, and none at a limit of 0', async () => {
    const { dataSource, asked, release } = fakeDatabase();
    const groups = new InstitutionGroups(dataSource, 1);
    await groups.scopeOf(['a', 'b']);
    await groups.scopeOf(['a', 'c']);
    release();
    await groups.settled();
    expect(asked.filter((sql) => sql.startsWith('CALL'))).toHaveLength(1);
    const none = new InstitutionGroups(fakeDatabase().dataSource, 0);
    expect(await none.scopeOf(['a', 'b'])).toBeUndefined();
    expect(await none.count(['a', 'b'])).toBeUndefined();
  });
});

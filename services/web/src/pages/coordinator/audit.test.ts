import { describe, expect, it } from 'vitest';
import type { Service } from '../../api/client';
import {
  NO_FILTERS,
  auditFilterErrors,
  auditPath,
  mergeAudit,
  withPage,
  type AuditRecord,
  type AuditSource,
} from './audit';

const record = (seq: number, minute: number): AuditRecord => ({
  seq,
  occurredAt: new Date(Date.UTC(2026, 10, 30, 5, minute)).toISOString(),
  actor: { kind: 'user', id: 'coordinator', name: 'Coordinator', institution: null },
  entity: 'actions',
  entityId: `entity-${seq}`,
  action: 'update',
  outcome: 'applied',
  correlationId: null,
});

/** A service's trail, newest first, served in pages of `size` as `GET /audit` does. */
function trail(minutes: number[], size: number) {
  const records = minutes.map((minute, at) => record(minutes.length - at, minute));
  return (beforeSeq?: number) => {
    const items = records.filter((item) => beforeSeq === undefined || item.seq < beforeSeq).slice(0, size);
    return { items, nextBeforeSeq: items.length === size ? (items.at(-1)?.seq ?? null) : null };
  };
}

describe('the audit trails merged', () => {
  it('show every service newest first, paging back only the service that holds the list up', () => {
    const pages = {
      actions: trail([59, 58, 57, 20, 10], 2),
      reporting: trail([50, 40, 30], 2),
    } as Record<Service, ReturnType<typeof trail>>;
    let sources: AuditSource[] = (['actions', 'reporting'] as const).map((service) =>
      withPage({ service, items: [], next: null }, pages[service]()),
    );
    const minutes = () => mergeAudit(sources).rows.map((row) => new Date(row.occurredAt).getUTCMinutes());

    // Actions gave 59 and 58, reporting 50 and 40: both of reporting's wait, actions may hold 57.
    expect(minutes()).toEqual([59, 58]);
    expect(mergeAudit(sources)).toMatchObject({ more: true, behind: ['actions'] });

    const seen: number[][] = [];
    while (mergeAudit(sources).more) {
      const { behind } = mergeAudit(sources);
      sources = sources.map((source) =>
        behind.includes(source.service) && source.next !== null
          ? withPage(source, pages[source.service](source.next))
          : source,
      );
      seen.push(minutes());
    }
    expect(seen.at(-1)).toEqual([59, 58, 57, 50, 40, 30, 20, 10]);
    // Each step only adds rows below those already shown: nothing jumps in above them.
    for (let step = 1; step < seen.length; step++)
      expect(seen[step]?.slice(0, seen[step - 1]?.length)).toEqual(seen[step - 1]);
    const rows = mergeAudit(sources).rows;
    expect(rows.filter((row) => row.service === 'reporting').map((row) => row.seq)).toEqual([3, 2, 1]);
  });

  it('shows a single service as it comes, and a last page ends the paging', () => {
    const page = trail([9, 8, 7], 5)();
    const source = withPage({ service: 'actions', items: [], next: null }, page);
    expect(mergeAudit([source])).toMatchObject({ more: false, behind: [] });
    expect(mergeAudit([source]).rows.map((row) => row.seq)).toEqual([3, 2, 1]);
    expect(mergeAudit([{ service: 'actions', items: [], next: null }]).rows).toEqual([]);
  });
});

describe('the audit query', () => {
  it('sends the filters set, the days as instants with the last day included, and the page', () => {
    const path = auditPath(
      { ...NO_FILTERS, entity: ' actions ', outcome: 'refused', from: '2026-11-01', to: '2026-11-30' },
      50,
      120,
    );
    const query = new URL(path, 'http://x').searchParams;
    expect(new URL(path, 'http://x').pathname).toBe('/audit');
    expect(Object.fromEntries(query)).toEqual({
      entity: 'actions',
      outcome: 'refused',
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 11, 1).toISOString(),
      limit: '50',
      beforeSeq: '120',
    });
    expect(auditPath(NO_FILTERS, 10)).toBe('/audit?limit=10');
  });

  it('refuses a malformed day and a range that ends before it starts', () => {
    expect(auditFilterErrors({ ...NO_FILTERS, from: '2026-13-45' })).toEqual({
      from: 'coord.audit.dateInvalid',
    });
    expect(auditFilterErrors({ ...NO_FILTERS, from: '30/11/2026' })).toEqual({
      from: 'coord.audit.dateInvalid',
    });
    expect(auditFilterErrors({ ...NO_FILTERS, from: '2026-11-30', to: '2026-11-01' })).toEqual({
      to: 'coord.audit.toBeforeFrom',
    });
    expect(auditFilterErrors({ ...NO_FILTERS, from: '2026-11-01', to: '2026-11-01' })).toEqual({});
  });
});

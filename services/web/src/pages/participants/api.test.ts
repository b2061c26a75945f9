import { describe, expect, it } from 'vitest';
import {
  allPages,
  changedPreferences,
  isWebAddress,
  notificationKey,
  notificationValues,
  validationQueue,
  type Notification,
  type ProgressReport,
} from './api';

const report = (id: string, institutionId: string, status: string, submittedAt: string): ProgressReport => ({
  id,
  actionId: 'a',
  institutionId,
  status,
  final: false,
  narrative: id,
  percentage: 10,
  version: 2,
  submittedAt,
  approvedAt: null,
  createdAt: submittedAt,
});

describe("a validator's queue", () => {
  it('keeps the order the API gave and names each report’s action', () => {
    const queue = validationQueue([
      {
        ...report('early', 'Ministry of Justice', 'submitted', '2026-11-10T10:00:00Z'),
        actionId: 'b',
        actionTitle: 'Train judges',
      },
      {
        ...report('late', 'ministry of justice', 'submitted', '2026-11-20T10:00:00Z'),
        actionTitle: 'Open shelters',
      },
    ]);
    expect(
      queue.map(({ action: { id, title }, report: { narrative } }) => `${id}:${title}:${narrative}`),
    ).toEqual(['b:Train judges:early', 'a:Open shelters:late']);
    expect(queue[0]?.report).not.toHaveProperty('actionTitle');
  });
});

describe('reading every page of a listing', () => {
  const listing = (total: number) => {
    const asked: string[] = [];
    const read = async (limit: number, offset: number) => {
      asked.push(`${limit}@${offset}`);
      const items = Array.from(
        { length: Math.max(0, Math.min(limit, total - offset)) },
        (_, i) => offset + i,
      );
      return { items, total };
    };
    return { asked, read };
  };

  it('asks once when the first page holds everything', async () => {
    const { asked, read } = listing(3);
    expect(await allPages(read, 5)).toEqual([0, 1, 2]);
    expect(asked).toEqual(['5@0']);
  });

  it('goes on page by page until the total is read', async () => {
    const { asked, read } = listing(12);
    expect(await allPages(read, 5)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(asked).toEqual(['5@0', '5@5', '5@10']);
  });

  it('stops on an empty page even if the total said more (reports moved on meanwhile)', async () => {
    const asked: number[] = [];
    const items = await allPages(async (_limit, offset) => {
      asked.push(offset);
      return { items: offset === 0 ? ['a', 'b'] : [], total: 4 };
    }, 2);
    expect(items).toEqual(['a', 'b']);
    expect(asked).toEqual([0, 2]);
  });
});

describe('an inbox notification', () => {
  const notification = (kind: string, params: Record<string, unknown>): Notification => ({
    id: 'n',
    institution: 'Ministry of Justice',
    kind,
    actionId: null,
    params,
    createdAt: '2026-11-29T08:00:00Z',
    readAt: null,
  });

  it('turns its dates into dates for ICU and keeps the rest as given', () => {
    const values = notificationValues(
      notification('deadline_reminder', {
        title: 'Train judges',
        dueAt: '2026-12-01T00:00:00Z',
        offsetSeconds: 86400,
      }),
    );
    expect(values.title).toBe('Train judges');
    expect(values.dueAt).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(values.offsetSeconds).toBe(86400);
  });

  it('gives every placeholder a value, so a notification missing a param still reads', () => {
    const values = notificationValues(
      notification('returned_for_changes', { title: 'Train judges', percentage: 40 }),
    );
    expect(values.reason).toBe('');
    expect(values.percentage).toBe(40);
    expect(values.dueOn).toEqual(new Date('2026-11-29T08:00:00Z'));
  });

  it('of a kind this page does not know reads as a generic notification', () => {
    expect(notificationKey('comment_posted')).toBe('inbox.kind.comment_posted');
    expect(notificationKey('something_new')).toBe('inbox.kind.other');
  });
});

describe('mail preferences', () => {
  it('send only the kinds whose cadence changed', () => {
    const saved = [
      { kind: 'reminder', cadence: 'immediate', canTurnOff: true },
      { kind: 'overdue', cadence: 'immediate', canTurnOff: false },
      { kind: 'assignment', cadence: 'daily', canTurnOff: true },
    ];
    expect(
      changedPreferences(saved, { reminder: 'weekly', overdue: 'immediate', assignment: 'daily' }),
    ).toEqual([{ kind: 'reminder', cadence: 'weekly' }]);
  });
});

describe('the evidence link of an assessment', () => {
  it.each([
    ['https://www.varuh-rs.si/en/annual-report-2025', true],
    ['http://example.org/report', false],
    ['https:///host', false],
    ['https:\\\\host', false],
    ['https://example.org/a b', false],
    ['not a link', false],
  ])('%s is %s', (link, valid) => {
    expect(isWebAddress(link)).toBe(valid);
  });
});

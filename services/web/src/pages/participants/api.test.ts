import { describe, expect, it } from 'vitest';
import type { ActionSummary } from '../Tasks';
import {
  changedPreferences,
  isWebAddress,
  mapLimit,
  notificationKey,
  notificationValues,
  validationQueue,
  type Notification,
  type ProgressReport,
} from './api';

const action = (id: string): ActionSummary => ({
  id,
  title: `Action ${id}`,
  status: 'in_progress',
  institution: 'Ministry of Justice',
  dueAt: null,
});
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
  createdAt: submittedAt,
});

describe("a validator's queue", () => {
  it('holds the reports their institution submitted, oldest first, whatever the case of its name', () => {
    const queue = validationQueue(
      ['Ministry of Justice'],
      [
        {
          action: action('a'),
          reports: [
            report('late', 'ministry of justice', 'submitted', '2026-11-20T10:00:00Z'),
            report('draft', 'Ministry of Justice', 'draft', '2026-11-01T10:00:00Z'),
            report('approved', 'Ministry of Justice', 'approved_by_validator', '2026-11-02T10:00:00Z'),
          ],
        },
        {
          action: action('b'),
          reports: [
            report('early', 'Ministry of Justice', 'submitted', '2026-11-10T10:00:00Z'),
            report('supporting', 'Ministry of Interior', 'submitted', '2026-11-05T10:00:00Z'),
          ],
        },
      ],
    );
    expect(queue.map(({ action: { id }, report: { narrative } }) => `${id}:${narrative}`)).toEqual([
      'b:early',
      'a:late',
    ]);
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

describe('reading many actions', () => {
  it('runs at most the limit at once and keeps the order', async () => {
    let running = 0;
    let most = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (value) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, value));
      running -= 1;
      return value * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });
});

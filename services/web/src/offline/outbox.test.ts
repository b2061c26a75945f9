import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import {
  discardReport,
  enqueueReport,
  flushOutbox,
  queuedReports,
  type NewReport,
  type Outcome,
} from './outbox';
import { outcomeOf } from './send';

const report = (narrative: string): NewReport => ({
  actionId: 'a1',
  actionTitle: 'Train judges',
  narrative,
  percentage: 40,
  final: false,
  measurements: [],
});

describe('the offline outbox', () => {
  beforeEach(() => localStorage.clear());

  it('keeps queued reports in order across reads, and forgets a discarded one', () => {
    const first = enqueueReport(report('first'));
    enqueueReport(report('second'));
    expect(queuedReports().map((item) => item.narrative)).toEqual(['first', 'second']);
    discardReport(first.key);
    expect(queuedReports().map((item) => item.narrative)).toEqual(['second']);
  });

  it('sends oldest first and removes what was sent', async () => {
    enqueueReport(report('first'));
    enqueueReport(report('second'));
    const sent: string[] = [];
    const result = await flushOutbox(async (item) => {
      sent.push(item.narrative);
      return 'sent';
    });
    expect(sent).toEqual(['first', 'second']);
    expect(result).toEqual({ sent: 2, refused: 0, left: 0 });
    expect(queuedReports()).toEqual([]);
  });

  it('stops at the first report that must wait, keeping it and those after it', async () => {
    enqueueReport(report('first'));
    enqueueReport(report('second'));
    const tried: string[] = [];
    const result = await flushOutbox(async (item) => {
      tried.push(item.narrative);
      return 'later';
    });
    expect(tried).toEqual(['first']);
    expect(result).toEqual({ sent: 0, refused: 0, left: 2 });
  });

  it('keeps a refused report with the reason, skips it on the next flush, and sends the rest', async () => {
    enqueueReport(report('refused'));
    enqueueReport(report('fine'));
    const outcomes: Record<string, Outcome> = {
      refused: { refused: 'The action is not in progress' },
      fine: 'sent',
    };
    await flushOutbox(async (item) => outcomes[item.narrative]!);
    expect(queuedReports().map(({ narrative, refusal }) => ({ narrative, refusal }))).toEqual([
      { narrative: 'refused', refusal: 'The action is not in progress' },
    ]);
    let calls = 0;
    await flushOutbox(async () => {
      calls += 1;
      return 'sent';
    });
    expect(calls).toBe(0);
  });

  it('remembers the draft written before the connection dropped, so the retry only submits it', async () => {
    enqueueReport(report('cut'));
    await flushOutbox(async (_item, remember) => {
      remember({ id: 'r1', version: 1 });
      return 'later';
    });
    const drafts: unknown[] = [];
    await flushOutbox(async (item) => {
      drafts.push(item.draft);
      return 'sent';
    });
    expect(drafts).toEqual([{ id: 'r1', version: 1 }]);
  });

  it('reads a damaged store as empty rather than failing', () => {
    localStorage.setItem('nmirf.outbox', '{not json');
    expect(queuedReports()).toEqual([]);
  });
});

describe('what a failed delivery means', () => {
  it('a validation refusal is final, with the API’s message', () => {
    expect(outcomeOf(new ApiError(409, { message: 'The action is not in progress' }))).toEqual({
      refused: 'The action is not in progress',
    });
  });

  it.each([
    ['no network', new TypeError('Failed to fetch')],
    ['the proxy without its service', new ApiError(502, { message: 'The actions service did not answer' })],
    ['an expired sign-in', new ApiError(401, undefined)],
    ['a rate limit', new ApiError(429, undefined)],
  ])('%s waits for a later try', (_name, error) => {
    expect(outcomeOf(error)).toBe('later');
  });
});

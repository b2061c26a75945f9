import { redisLoss } from './managed-worker';

describe('redisLoss: when the watch reconciles at once', () => {
  const reconciledOn = 'a1b2c3';

  it('sees nothing wrong while the same Redis still holds the sentinel', () => {
    expect(redisLoss(reconciledOn, { runId: reconciledOn, sentinelPresent: true })).toBeUndefined();
  });

  it('calls a missing sentinel on the same server a wipe (FLUSHALL, FLUSHDB, keys deleted)', () => {
    expect(redisLoss(reconciledOn, { runId: reconciledOn, sentinelPresent: false })).toBe('wiped');
  });

  it('calls a new run_id a replacement, even when the sentinel came back from disk', () => {
    expect(redisLoss(reconciledOn, { runId: 'd4e5f6', sentinelPresent: true })).toBe('replaced');
    expect(redisLoss(reconciledOn, { runId: 'd4e5f6', sentinelPresent: false })).toBe('replaced');
  });

  it('has nothing to compare before a reconciliation succeeded', () => {
    expect(redisLoss(undefined, { runId: reconciledOn, sentinelPresent: false })).toBeUndefined();
  });
});

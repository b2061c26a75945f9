// The precision / recall table over thresholds that DEFAULT_LINK_THRESHOLD was chosen from (the repository has
// no ts-node, so the sweep runs as a test and prints the table).
import { DEFAULT_LINK_THRESHOLD } from './similarity';
import { formatSweep, sweep, SWEEP_THRESHOLDS } from './gold/sweep';

describe('threshold sweep over the gold set', () => {
  it('prints precision / recall / F1 for thresholds 0.20–0.70', () => {
    const rows = sweep();
    console.log(formatSweep(rows));
    expect(rows.map((r) => r.threshold)).toEqual(SWEEP_THRESHOLDS);
    // Raising the threshold never proposes more pairs, and recall falls with it.
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].proposed).toBeLessThanOrEqual(rows[i - 1].proposed);
      expect(rows[i].recall).toBeLessThanOrEqual(rows[i - 1].recall);
    }
    const chosen = rows.find((r) => r.threshold === DEFAULT_LINK_THRESHOLD)!;
    expect(chosen.precision).toBeGreaterThanOrEqual(0.75);
  });
});

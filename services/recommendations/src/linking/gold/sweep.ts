// Precision / recall over thresholds on the gold set, to choose DEFAULT_LINK_THRESHOLD. The repository has no
// ts-node, so ../sweep.spec.ts prints the table; this module only computes and formats it.
import { SimilarityIndex, LINK_METHOD, type SimilarityOptions } from '../similarity';
import { evaluate, goldGroups, goldTexts, type Evaluation } from './evaluate';

export interface SweepRow extends Evaluation {
  threshold: number;
  proposed: number;
}

/** Thresholds 0.20, 0.25, … 0.70. */
export const SWEEP_THRESHOLDS = Array.from(
  { length: 11 },
  (_, i) => Math.round((0.2 + 0.05 * i) * 100) / 100,
);

export function sweep(
  options: Partial<SimilarityOptions> = {},
  thresholds: number[] = SWEEP_THRESHOLDS,
): SweepRow[] {
  const index = SimilarityIndex.build(goldTexts(), options);
  // One pass at the lowest threshold, then filter: candidates above t are a subset of those above min(t).
  const all = index.candidates({ threshold: Math.min(...thresholds) });
  return thresholds.map((threshold) => {
    const kept = all.filter((c) => c.score >= threshold);
    return { threshold, proposed: kept.length, ...evaluate(kept, goldGroups) };
  });
}

export function formatSweep(rows: SweepRow[]): string {
  const f = (x: number): string => x.toFixed(3);
  const lines = [
    `${LINK_METHOD} on the Slovenia UPR c2+c3 gold set`,
    'threshold  proposed   tp   fp   fn  precision  recall     f1',
    ...rows.map(
      (r) =>
        `${r.threshold.toFixed(2).padStart(9)}  ${String(r.proposed).padStart(8)} ${String(r.tp).padStart(4)} ` +
        `${String(r.fp).padStart(4)} ${String(r.fn).padStart(4)}  ${f(r.precision).padStart(9)}  ` +
        `${f(r.recall).padStart(6)}  ${f(r.f1)}`,
    ),
  ];
  return lines.join('\n');
}

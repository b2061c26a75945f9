import { CLUSTER_LINK_MIN_SCORE, linkComponents } from './components';
import { evaluate, goldGroups, goldTexts } from './gold/evaluate';
import { SimilarityIndex } from './similarity';

describe('link components', () => {
  it('joins chains and keeps separate subjects apart', () => {
    expect(
      linkComponents([
        { a: 'c', b: 'b' },
        { a: 'a', b: 'b' },
        { a: 'x', b: 'y' },
      ]),
    ).toEqual([
      ['a', 'b', 'c'],
      ['x', 'y'],
    ]);
    expect(linkComponents([])).toEqual([]);
  });

  it('makes suggested clusters that stay precise on the gold set', () => {
    const links = SimilarityIndex.build(goldTexts()).candidates({
      threshold: CLUSTER_LINK_MIN_SCORE,
      maxPerDoc: 10,
    });
    const components = linkComponents(links);
    const pairs = components.flatMap((members) =>
      members.flatMap((a, i) => members.slice(i + 1).map((b) => ({ a, b }))),
    );
    const result = evaluate(pairs, goldGroups);
    console.log(
      `linked clusters @${CLUSTER_LINK_MIN_SCORE}: ${components.length} clusters, largest ${Math.max(...components.map((m) => m.length))}, ` +
        `pairwise precision ${result.precision.toFixed(3)} recall ${result.recall.toFixed(3)}`,
    );
    expect(result.precision).toBeGreaterThanOrEqual(0.75);
    expect(Math.max(...components.map((m) => m.length))).toBeLessThanOrEqual(25);
  });
});

import observed from './fixtures/uhri-values-observed-by-cycle.json';
import sample from './fixtures/uhri-sample-slovenia-values.json';
import { LANGS } from './labels';
import {
  groupConcepts,
  labelKey,
  resolveGroup,
  resolveTheme,
  themeConcepts,
  themeKeysMatching,
  type Concept,
} from './themes';
import { uprCycleOfSession } from './upr';

const cycles = ['2', '3', '4'] as const;

describe('theme and group crosswalk', () => {
  it.each([
    ['themes', themeConcepts],
    ['groups', groupConcepts],
  ])('%s: unique kebab-case keys, labels in six languages, related keys that exist', (_name, concepts) => {
    const all: Concept[] = concepts();
    const keys = new Set(all.map((c) => c.key));
    expect(keys.size).toBe(all.length);
    for (const concept of all) {
      expect(concept.key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const lang of LANGS) expect(concept.label[lang]).toBeTruthy();
      for (const related of concept.related ?? []) expect(keys).toContain(related);
      // The preferred English label is the cycle-4 one where cycle 4 has one.
      const c4 = concept.cycles['4'].filter((l) => !l.fragment);
      if (c4.length > 0) expect(c4.map((l) => labelKey(l.label))).toContain(labelKey(concept.label.en));
    }
  });

  it.each(cycles)(
    'every theme and cluster heading observed in cycle %s resolves, with or without the cycle',
    (cycle) => {
      for (const label of [...observed[cycle].themes, ...observed[cycle].cluster_headings]) {
        const withCycle = resolveTheme(label, cycle);
        expect([label, withCycle]).toEqual([label, expect.objectContaining({ key: expect.any(String) })]);
        expect(resolveTheme(label)?.key).toBe(withCycle!.key);
      }
    },
  );

  it.each(cycles)('every affected group observed in cycle %s resolves', (cycle) => {
    for (const label of observed[cycle].affected_persons_or_groups) {
      expect([label, resolveGroup(label, cycle)?.key]).toEqual([label, expect.any(String)]);
    }
  });

  it('resolves every theme and group of the sample UHRI workbook', () => {
    for (const [session, labels] of Object.entries(sample.themes)) {
      const cycle = uprCycleOfSession(Number(session));
      for (const label of labels)
        expect([label, resolveTheme(`- ${label}`, cycle)?.key]).toEqual([label, expect.any(String)]);
    }
    for (const labels of Object.values(sample.groups)) {
      for (const label of labels)
        expect([label, resolveGroup(label)?.key]).toEqual([label, expect.any(String)]);
    }
  });

  it('maps the renamed labels of cycles 2, 3 and 4 to one concept', () => {
    const key = 'ratification-international-instruments';
    const label = 'Ratification of & accession to international instruments';
    expect(resolveTheme('A12 Acceptance of international norms', 2)).toEqual({ key, label });
    expect(resolveTheme('- Acceptance of international norms', 3)).toEqual({ key, label });
    expect(resolveTheme('Ratification of and accession to international instruments', 4)).toEqual({
      key,
      label,
    });
    expect(resolveTheme('RATIFICATION OF &  ACCESSION TO INTERNATIONAL INSTRUMENTS')).toEqual({ key, label });

    const same = (labels: string[]) => new Set(labels.map((l) => resolveTheme(l)?.key));
    expect(same(['D29 Domestic violence', 'Domestic violence', 'Sexual & gender-based violence'])).toEqual(
      new Set(['sexual-gender-based-violence']),
    );
    expect(same(['F13 Violence against women', 'Violence against women'])).toEqual(
      new Set(['violence-against-women']),
    );
    expect(
      same([
        'E26 Human Rights & drinking water and sanitation',
        'Human Rights & drinking water & sanitation',
        'Safe drinking water & sanitation',
      ]),
    ).toEqual(new Set(['water-sanitation']));
    expect(same(['E31 Right to work', 'E33 Trade union rights', 'Labour rights and right to work'])).toEqual(
      new Set(['labour-rights-work']),
    );
    expect(resolveTheme('Budget &resources (for human rights implementation)')?.key).toBe('budget-resources');
    expect(resolveTheme('general principles')?.key).toBe('children-definition-principles-protection');
    expect(resolveTheme('F31 Children: definition; general principles; protection')?.key).toBe(
      'children-definition-principles-protection',
    );
    // A cycle-2 code alone, or with a re-worded label, still resolves.
    expect(resolveTheme('D22')?.key).toBe('death-penalty');
    expect(resolveTheme('A45 NHRI')?.key).toBe('national-human-rights-institution');
  });

  it('folds case differences of groups into one key', () => {
    expect(resolveGroup('children')?.key).toBe('children');
    expect(resolveGroup('Children')?.key).toBe('children');
    expect(resolveGroup('women')).toEqual({ key: 'women-girls', label: 'Women & girls' });
    expect(resolveGroup('Women & girls')?.key).toBe('women-girls');
    expect(
      resolveGroup('minorities / racial, ethnic, linguistic, religious or descent-based groups')?.key,
    ).toBe('minorities');
    expect(resolveGroup('Migrants & domestic workers')?.key).toBe('migrants');
  });

  it('returns undefined for unknown labels so callers keep them raw', () => {
    expect(resolveTheme('Right to fly')).toBeUndefined();
    expect(resolveTheme('Z9 Something')).toBeUndefined();
    expect(resolveGroup('astronauts')).toBeUndefined();
    expect(resolveTheme('')).toBeUndefined();
  });

  it('reads a label the same with or without the punctuation a cell ends it with', () => {
    expect(labelKey('A12 Acceptance of international norms.')).toBe('acceptance of international norms');
    expect(labelKey('- Children;')).toBe('children');
    expect(labelKey('Women & girls:')).toBe('women and girls');
    expect(resolveTheme('Acceptance of international norms;', 3)?.key).toBe(
      'ratification-international-instruments',
    );
    expect(resolveGroup('Children.')?.key).toBe('children');
  });

  it('keeps one key per concept for search', () => {
    expect(themeKeysMatching('ratification-international-instruments')).toEqual([
      'ratification-international-instruments',
    ]);
  });
});

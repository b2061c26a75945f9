import { join } from 'node:path';
import { findDataDir, LANGS } from './labels';
import { compareSdgCodes, loadSdgs, parseSdgCell } from './sdg';

describe('loadSdgs', () => {
  const sdgs = loadSdgs();

  it('has 17 goals, 169 targets and 252 indicator entries, each titled in the six UN languages', () => {
    expect(sdgs.goals).toHaveLength(17);
    expect(sdgs.targets).toHaveLength(169);
    expect(sdgs.indicators).toHaveLength(252);
    for (const lang of LANGS) {
      for (const item of [...sdgs.goals, ...sdgs.targets, ...sdgs.indicators]) {
        expect(item.title[lang].trim().length).toBeGreaterThan(1);
      }
    }
  });

  it('codes goals, lettered targets and indicators the UN way, in UN order', () => {
    expect(sdgs.goals.map((g) => g.code)).toEqual(Array.from({ length: 17 }, (_, i) => String(i + 1)));
    expect(sdgs.targets.filter((t) => t.goal === '1').map((t) => t.code)).toEqual([
      '1.1',
      '1.2',
      '1.3',
      '1.4',
      '1.5',
      '1.a',
      '1.b',
    ]);
    expect(sdgs.targets.filter((t) => t.goal === '16')).toHaveLength(12);
    expect(sdgs.indicators.find((i) => i.code === '16.3.1')).toMatchObject({ goal: '16', target: '16.3' });
    expect(sdgs.indicators.find((i) => i.code === '1.a.1')).toMatchObject({ goal: '1', target: '1.a' });
    expect(compareSdgCodes('1.10', '1.9')).toBeGreaterThan(0);
  });

  it('reads Arabic and Chinese as such (zh from zh-Hans)', () => {
    const goal5 = sdgs.goals.find((g) => g.code === '5')!;
    expect(goal5.title.ar).toMatch(/^[\u0600-\u06FF\s\u060C.،]+$/);
    expect(goal5.title.zh).toMatch(/[\u4E00-\u9FFF]/);
    expect(goal5.short.en).toBe('Gender equality');
  });

  it('finds the data folder from src and from the compiled dist folder alike', () => {
    const service = join(__dirname, '..', '..');
    expect(findDataDir('sdg')).toBe(join(service, 'data', 'sdg'));
    expect(findDataDir('sdg', join(service, 'dist', 'taxonomy'))).toBe(join(service, 'data', 'sdg'));
    expect(() => findDataDir('no-such-folder', '/')).toThrow(/not found/);
  });
});

describe('parseSdgCell', () => {
  it.each([
    ['16 - PEACE, JUSTICE AND STRONG INSTITUTIONS', ['16'], []],
    ['- 10 - REDUCED INEQUALITIES\n- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS', ['10', '16'], []],
    ['1.4 - Equal rights to economic resources', ['1'], ['1.4']],
    ['Goal 5', ['5'], []],
    ['goal  5', ['5'], []],
    ['5.2', ['5'], ['5.2']],
    ['SDG 16.a - Strengthen national institutions', ['16'], ['16.a']],
    [' 5 . 2 ', ['5'], ['5.2']],
    ['5.2, 16.3', ['5', '16'], ['5.2', '16.3']],
    ['Target 1.1 - By 2030, eradicate extreme poverty', ['1'], ['1.1']],
    ['', [], []],
    ['18 - NOT A GOAL', [], []],
    ['No poverty', [], []],
  ])('%j', (value, goals, targets) => {
    expect(parseSdgCell(value)).toEqual({ goals, targets });
  });
});

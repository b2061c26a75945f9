import { LANGS } from './labels';
import { parseUprSession, uprCycleOfSession, UPR_CYCLES } from './upr';

describe('UPR cycles', () => {
  it.each([
    [1, 1],
    [12, 1],
    [13, 2],
    [20, 2],
    [26, 2],
    [27, 3],
    [34, 3],
    [40, 3],
    [41, 4],
    [54, 4],
  ])('session %i is in cycle %i', (session, cycle) => {
    expect(uprCycleOfSession(session)).toBe(cycle);
  });

  it('knows no cycle outside 1–54', () => {
    expect(uprCycleOfSession(0)).toBeUndefined();
    expect(uprCycleOfSession(55)).toBeUndefined();
  });

  it('labels cycles in the six UN languages, sessions contiguous', () => {
    UPR_CYCLES.forEach((c, i) => {
      for (const lang of LANGS) expect(c.label[lang]).toBeTruthy();
      if (i > 0) expect(c.firstSession).toBe(UPR_CYCLES[i - 1].lastSession + 1);
    });
  });
});

describe('parseUprSession', () => {
  it.each([
    ['- 20 Session', 20],
    ['- 34 Session', 34],
    ['20', 20],
    ['20th session', 20],
    ['Session 41', 41],
    [' - 3 session ', 3],
  ])('%j', (value, session) => {
    expect(parseUprSession(value)).toBe(session);
  });

  it.each(['', 'Session', 'twenty', '- 0 Session', '20 Session 21'])('%j is not a session', (value) => {
    expect(parseUprSession(value)).toBeUndefined();
  });
});

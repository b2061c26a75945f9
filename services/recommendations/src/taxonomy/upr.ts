import type { Labels } from './labels';

export interface UprCycle {
  cycle: number;
  firstSession: number;
  lastSession: number;
  startYear: number;
  endYear: number;
  label: Labels;
}

const ORDINALS: Record<keyof Labels, string[]> = {
  ar: ['الجولة الأولى', 'الجولة الثانية', 'الجولة الثالثة', 'الجولة الرابعة'],
  zh: ['第一轮', '第二轮', '第三轮', '第四轮'],
  en: ['First cycle', 'Second cycle', 'Third cycle', 'Fourth cycle'],
  fr: ['Premier cycle', 'Deuxième cycle', 'Troisième cycle', 'Quatrième cycle'],
  ru: ['Первый цикл', 'Второй цикл', 'Третий цикл', 'Четвертый цикл'],
  es: ['Primer ciclo', 'Segundo ciclo', 'Tercer ciclo', 'Cuarto ciclo'],
};

const cycle = (n: number, firstSession: number, lastSession: number, startYear: number, endYear: number) => ({
  cycle: n,
  firstSession,
  lastSession,
  startYear,
  endYear,
  label: Object.fromEntries(Object.entries(ORDINALS).map(([lang, names]) => [lang, names[n - 1]])) as Labels,
});

/** UPR Working Group sessions per cycle. The fifth cycle's calendar is not fixed yet. */
export const UPR_CYCLES: UprCycle[] = [
  cycle(1, 1, 12, 2008, 2011),
  cycle(2, 13, 26, 2012, 2016),
  cycle(3, 27, 40, 2017, 2022),
  cycle(4, 41, 54, 2022, 2027),
];

/** The cycle of a UPR Working Group session, or undefined outside the known cycles. */
export function uprCycleOfSession(session: number): number | undefined {
  return UPR_CYCLES.find((c) => session >= c.firstSession && session <= c.lastSession)?.cycle;
}

/**
 * The session number of a UHRI "UPR Session" value: "- 20 Session", "20th session", "Session 20",
 * "UPR 20", "20".
 */
export function parseUprSession(value: string): number | undefined {
  const match =
    /^\s*[-\u2022]?\s*(?:(?:upr|session|sess\.?)\s*)?(\d{1,3})(?:st|nd|rd|th)?(?:\s*session)?\s*$/i.exec(
      value,
    );
  if (!match) return undefined;
  const session = Number(match[1]);
  return session > 0 ? session : undefined;
}

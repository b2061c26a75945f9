import { LANGS, normalizeKey } from './labels';
import {
  findMechanism,
  MECHANISMS,
  REGIONAL_BODIES,
  resolveBody,
  SPECIAL_PROCEDURES,
  TREATY_BODIES,
} from './mechanisms';

describe('mechanisms', () => {
  it('has the ten treaty bodies, named in the six UN languages', () => {
    expect(TREATY_BODIES.map((b) => b.code)).toEqual([
      'CERD',
      'CESCR',
      'CCPR',
      'CEDAW',
      'CAT',
      'SPT',
      'CRC',
      'CMW',
      'CRPD',
      'CED',
    ]);
    for (const body of [...TREATY_BODIES, ...REGIONAL_BODIES]) {
      for (const lang of LANGS) expect(body.name[lang]).toBeTruthy();
    }
  });

  it('has the thematic Special Procedures mandates with SR/WG/IE codes', () => {
    const thematic = SPECIAL_PROCEDURES.filter((m) => m.mandate === 'thematic');
    expect(thematic.length).toBeGreaterThanOrEqual(45);
    for (const m of SPECIAL_PROCEDURES) expect(m.code).toMatch(/^(SR|WG|IE) on /);
  });

  it('has unique codes, and every name and alias resolves to its own mechanism', () => {
    expect(new Set(MECHANISMS.map((m) => normalizeKey(m.code))).size).toBe(MECHANISMS.length);
    for (const m of MECHANISMS) {
      for (const name of [m.code, ...Object.values(m.name), ...(m.aliases ?? [])]) {
        expect([name, findMechanism(name)?.code]).toEqual([name, m.code]);
      }
    }
  });
});

describe('resolveBody', () => {
  it.each([
    ['- UPR', 'upr', 'UPR'],
    ['Universal Periodic Review', 'upr', 'UPR'],
    ['CEDAW', 'treaty_body', 'CEDAW'],
    ['- CEDAW', 'treaty_body', 'CEDAW'],
    ['Committee on the Elimination of Discrimination against Women', 'treaty_body', 'CEDAW'],
    ['committee on the elimination of discrimination against women', 'treaty_body', 'CEDAW'],
    ["Comité pour l'élimination de la discrimination à l'égard des femmes", 'treaty_body', 'CEDAW'],
    ['HR Committee', 'treaty_body', 'CCPR'],
    ['Human Rights Committee', 'treaty_body', 'CCPR'],
    ['HRCttee', 'treaty_body', 'CCPR'],
    ['CESCR', 'treaty_body', 'CESCR'],
    ['Committee against Torture (CAT)', 'treaty_body', 'CAT'],
    ['Subcommittee on Prevention of Torture', 'treaty_body', 'SPT'],
    ['ICRMW', 'treaty_body', 'CMW'],
    ['SR on torture', 'special_procedure', 'SR on torture'],
    ['Special Rapporteur on torture', 'special_procedure', 'SR on torture'],
    [
      'Special Rapporteur on torture and other cruel, inhuman or degrading treatment or punishment',
      'special_procedure',
      'SR on torture',
    ],
    ['Special Rapporteur on the right to education', 'special_procedure', 'SR on education'],
    ['Working Group on Arbitrary Detention', 'special_procedure', 'WG on arbitrary detention'],
    [
      'Independent Expert on sexual orientation and gender identity',
      'special_procedure',
      'IE on sexual orientation and gender identity',
    ],
    [
      'Special Rapporteur on the rights to water and sanitation',
      'special_procedure',
      'SR on water and sanitation',
    ],
    ['Special Rapporteur on the situation of human rights in Belarus', 'special_procedure', 'SR on Belarus'],
    ['Independent Expert on minority issues', 'special_procedure', 'SR on minority issues'],
    ['Venice Commission', 'regional', 'CDL'],
    ['European Committee of Social Rights', 'regional', 'ECSR'],
    ["African Commission on Human and Peoples' Rights", 'regional', 'ACHPR'],
    ['CPT', 'regional', 'CPT'],
    ['NAP', 'national_plan', 'NAP'],
    ['Voluntary pledge', 'voluntary_pledge', 'VP'],
  ])('%j', (value, kind, code) => {
    expect(resolveBody(value)).toEqual({ kind, code });
  });

  it('returns undefined for what it does not know', () => {
    expect(resolveBody('')).toBeUndefined();
    expect(resolveBody('- ')).toBeUndefined();
    expect(resolveBody('Committee of Something Else')).toBeUndefined();
    expect(resolveBody('Special Rapporteur on unicorns')).toBeUndefined();
  });
});

import { Injectable } from '@nestjs/common';
import { pickLabel, textDirection, type Lang } from './labels';
import { MECHANISMS, type MechanismKind } from './mechanisms';
import { loadSdgs, type Sdgs } from './sdg';
import { REGIONAL_GROUPS, STATES, stateLabels } from './states';
import { groupConcepts, themeConcepts } from './themes';
import { UPR_CYCLES } from './upr';

export interface TaxonomyList<T> {
  lang: Lang;
  dir: 'rtl' | 'ltr';
  items: T[];
}

/** The reference vocabularies, labelled in one UN language. SDGs are read from disk once. */
@Injectable()
export class TaxonomyService {
  private readonly sdgs: Sdgs = loadSdgs();

  private list<T>(lang: Lang, items: T[]): TaxonomyList<T> {
    return { lang, dir: textDirection(lang), items };
  }

  mechanisms(lang: Lang, kind?: MechanismKind) {
    return this.list(
      lang,
      MECHANISMS.filter((m) => !kind || m.kind === kind).map((m) => ({
        kind: m.kind,
        code: m.code,
        // Special Procedures are English-only for now; labelLang says so.
        ...pickLabel(m.name, lang),
        ...(m.treaty ? { treaty: m.treaty } : {}),
        ...(m.mandate ? { mandate: m.mandate } : {}),
        ...(m.stateIso3 ? { stateIso3: m.stateIso3 } : {}),
        ...(m.organization ? { organization: m.organization } : {}),
      })),
    );
  }

  states(lang: Lang) {
    return this.list(
      lang,
      STATES.map((s) => ({
        code: s.iso3,
        iso2: s.iso2,
        label: stateLabels(s)[lang],
        status: s.status,
        group: s.group ?? null,
      })).sort((a, b) => a.label.localeCompare(b.label, lang)),
    );
  }

  regionalGroups(lang: Lang) {
    return this.list(
      lang,
      REGIONAL_GROUPS.map((g) => ({ code: g.code, label: g.label[lang] })),
    );
  }

  themes(lang: Lang) {
    return this.list(
      lang,
      themeConcepts().map((c) => ({
        key: c.key,
        label: c.label[lang],
        ...(c.related ? { related: c.related } : {}),
      })),
    );
  }

  groups(lang: Lang) {
    return this.list(
      lang,
      groupConcepts().map((c) => ({ key: c.key, label: c.label[lang] })),
    );
  }

  sdgGoals(lang: Lang) {
    return this.list(
      lang,
      this.sdgs.goals.map((g) => ({ code: g.code, label: g.title[lang], short: g.short[lang] })),
    );
  }

  sdgTargets(lang: Lang, goal?: string) {
    return this.list(
      lang,
      this.sdgs.targets
        .filter((t) => !goal || t.goal === goal)
        .map((t) => ({ code: t.code, goal: t.goal, label: t.title[lang] })),
    );
  }

  sdgIndicators(lang: Lang, target?: string) {
    return this.list(
      lang,
      this.sdgs.indicators
        .filter((i) => !target || i.target === target)
        .map((i) => ({ code: i.code, goal: i.goal, target: i.target, label: i.title[lang] })),
    );
  }

  uprCycles(lang: Lang) {
    return this.list(
      lang,
      UPR_CYCLES.map(({ label, ...cycle }) => ({ code: String(cycle.cycle), label: label[lang], ...cycle })),
    );
  }
}

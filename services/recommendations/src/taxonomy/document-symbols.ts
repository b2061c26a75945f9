import type { MechanismKind } from './mechanisms';
import { stateByIso } from './states';

export type DocumentKind =
  /** Report of the UPR Working Group (A/HRC/28/15); its Add.1 holds the State's positions. */
  | 'upr_outcome'
  /** UPR pre-session documents: A/HRC/WG.6/20/SVN/1, /2, /3. */
  | 'upr_national_report'
  | 'upr_un_compilation'
  | 'upr_stakeholder_summary'
  | 'concluding_observations'
  | 'list_of_issues'
  | 'state_party_report'
  | 'treaty_body_document'
  | 'special_procedure_report'
  /** Any other Human Rights Council document, including ones we cannot classify from the symbol. */
  | 'hrc_document'
  | 'other';

export interface DocumentSymbol {
  normalized: string;
  kind: DocumentKind;
  hrcSession?: number;
  uprSession?: number;
  /** Treaty body code (CEDAW, CESCR…). */
  body?: string;
  stateIso3?: string;
  /** Periodic report number(s) covered: '7', '3-4', '8-11'. */
  reportNumber?: string;
  /** Optional protocol to the CRC for OPSC / OPAC concluding observations. */
  optionalProtocol?: string;
  addendum?: number;
  /** For an addendum: the symbol of the report it belongs to (the symbol without /Add.n). */
  report?: string;
}

const TB_PREFIX: Record<string, string> = {
  'CERD/C': 'CERD',
  'E/C.12': 'CESCR',
  'CCPR/C': 'CCPR',
  'CEDAW/C': 'CEDAW',
  'CAT/C': 'CAT',
  'CAT/OP': 'SPT',
  'CRC/C': 'CRC',
  'CMW/C': 'CMW',
  'CRPD/C': 'CRPD',
  'CED/C': 'CED',
};

const UPR_DOCS: Record<string, DocumentKind> = {
  '1': 'upr_national_report',
  '2': 'upr_un_compilation',
  '3': 'upr_stakeholder_summary',
};

/** Canonical spelling of a UN symbol: upper case, no spaces, and "Add.1" / "Corr.1" / "Rev.1". */
export function normalizeDocumentSymbol(symbol: string): string {
  return symbol
    .trim()
    .replace(/[.,;]+$/, '')
    .split('/')
    .map((part) => part.replace(/\s+/g, '').toUpperCase())
    .map((part) =>
      part.replace(
        /^(ADD|CORR|REV)\.?(\d+)$/,
        (_m, word: string, n: string) => `${word[0]}${word.slice(1).toLowerCase()}.${n}`,
      ),
    )
    .join('/');
}

const iso3 = (code: string): string | undefined => (stateByIso(code) && code.length === 3 ? code : undefined);

/**
 * What a UN document symbol designates. Treaty-body and UPR pre-session symbols say it outright.
 * A/HRC/<session>/<n> does not: UPR Working Group reports take the first numbers of an HRC session
 * (2–20) and Special Procedures country-visit reports are addenda of later numbers, so without a
 * `hint` these two are inferred from the number and anything else is 'hrc_document'.
 */
export function parseDocumentSymbol(
  symbol: string,
  hint?: { kind?: MechanismKind },
): DocumentSymbol | undefined {
  const normalized = normalizeDocumentSymbol(symbol);
  if (!/^[A-Z][A-Z0-9.]*(\/[A-Za-z0-9.-]+)+$/.test(normalized)) return undefined;

  const add = /^(.*)\/Add\.(\d+)$/.exec(normalized);
  const base = add ? add[1] : normalized;
  const addendum = add ? { addendum: Number(add[2]), report: add[1] } : {};

  let m = /^A\/HRC\/WG\.6\/(\d+)\/([A-Z]{3})\/(\d)$/.exec(base);
  if (m && UPR_DOCS[m[3]]) {
    return { normalized, kind: UPR_DOCS[m[3]], uprSession: Number(m[1]), stateIso3: m[2], ...addendum };
  }

  m = /^A\/HRC\/(\d+)\/(\d+)$/.exec(base);
  if (m) {
    const hrcSession = Number(m[1]);
    const n = Number(m[2]);
    let kind: DocumentKind = 'hrc_document';
    if (hint?.kind === 'upr') kind = 'upr_outcome';
    else if (hint?.kind === 'special_procedure') kind = 'special_procedure_report';
    else if (!hint?.kind && hrcSession >= 8 && n >= 2 && n <= 20 && (!add || add[2] === '1'))
      kind = 'upr_outcome';
    else if (!hint?.kind && add && n > 20) kind = 'special_procedure_report';
    return { normalized, kind, hrcSession, ...addendum };
  }
  if (/^A\/HRC\//.test(base)) {
    const session = /^A\/HRC\/(\d+)\//.exec(base);
    return {
      normalized,
      kind: 'hrc_document',
      ...(session ? { hrcSession: Number(session[1]) } : {}),
      ...addendum,
    };
  }

  // Treaty bodies: <prefix>/[OPSC|OPAC/]<ISO3>/(CO|Q|QPR)/<n>[-<m>] or <prefix>/<ISO3>/<n>.
  for (const [prefix, body] of Object.entries(TB_PREFIX)) {
    if (!base.startsWith(`${prefix}/`)) continue;
    const rest = base.slice(prefix.length + 1);
    const tb = /^(?:(OPSC|OPAC|OPIC)\/)?([A-Z]{3})\/(?:(CO|Q|QPR|LOIPR)\/)?(\d+(?:-\d+)?)$/.exec(rest);
    if (tb && iso3(tb[2])) {
      const kind: DocumentKind = !tb[3]
        ? body === 'SPT'
          ? 'treaty_body_document'
          : 'state_party_report'
        : tb[3] === 'CO'
          ? 'concluding_observations'
          : 'list_of_issues';
      return {
        normalized,
        kind,
        body,
        stateIso3: tb[2],
        reportNumber: tb[4],
        ...(tb[1] ? { optionalProtocol: tb[1] } : {}),
        ...addendum,
      };
    }
    return { normalized, kind: 'treaty_body_document', body, ...addendum };
  }
  // Pre-2008 CCPR concluding observations: CCPR/CO/84/SVN.
  m = /^CCPR\/CO\/(\d+)\/([A-Z]{3})$/.exec(base);
  if (m && iso3(m[2])) {
    return { normalized, kind: 'concluding_observations', body: 'CCPR', stateIso3: m[2], ...addendum };
  }
  return { normalized, kind: 'other', ...addendum };
}

export interface ParagraphReading {
  paragraph: string;
  text: string;
  heading?: string;
}

/**
 * The paragraph number at the start of a recommendation text and the text without it:
 * "137.197 Take…" → '137.197'; treaty-body texts may carry their heading first ("Rural women
 * 49. The Committee recommends…" → '49', heading 'Rural women'). Undefined when the text starts
 * with no number ("(a) …"), so the caller can report it.
 *
 * Hand-typed numbers of the full Index are read as meant: "109.9..1" is 109.9.1 and "4.The
 * Committee" is 4. With `upr`, where every recommendation is numbered "<paragraph>.<item>", a
 * misplaced dot or space is read too: "135 1. Take" is 135.1 and "111. 29 Take" is 111.29.
 */
export function parseParagraph(text: string, options: { upr?: boolean } = {}): ParagraphReading | undefined {
  const trimmed = text.trim();
  const reading = (paragraph: string, matched: string): ParagraphReading => ({
    paragraph: paragraph.replace(/\.{2,}/g, '.'),
    text: trimmed.slice(matched.length).trim(),
  });
  if (options.upr) {
    const split = /^(\d{1,3})(?:\s+(\d{1,3})\.|\.\s+(\d{1,3})\.?)\s+(?=\D)/.exec(trimmed);
    if (split) return reading(`${split[1]}.${split[2] ?? split[3]}`, split[0]);
  }
  // UPR: "137.197 Take", "115.1. Take", "49. The Committee" (number first); "109.9..1 Take" too.
  const lead = /^(\d{1,3}(?:\.{1,2}\d{1,3})*)(?:\.(?=\s)|(?=\s))\s*(?:[-\u2013\u2014:]\s+)?/.exec(trimmed);
  if (lead && (lead[1].includes('.') || /^\d{1,3}\.\s/.test(trimmed))) {
    // "109. .1 Take", or in the UPR "111. 29 30 Take": more numbering follows, so it is not read.
    const rest = trimmed.slice(lead[0].length);
    if (rest.startsWith('.') || (options.upr && /^\d/.test(rest))) return undefined;
    return reading(lead[1], lead[0]);
  }
  // "4.The Committee": no space after the number's dot.
  const glued = /^(\d{1,3}(?:\.\d{1,3})*)\.(?=[\p{Lu}"“«])/u.exec(trimmed);
  if (glued) return reading(glued[1], glued[0]);
  // Treaty bodies: a short heading without sentence punctuation, then "49. " and a capital or quote.
  const headed = /^([^.;:!?\d][^.;:!?]{0,119}?)\s+(\d{1,3})\.\s+(?=[\p{Lu}"“(«])/u.exec(trimmed);
  if (headed && headed[1].split(/\s+/).length <= 15) {
    return { paragraph: headed[2], text: trimmed.slice(headed[0].length).trim(), heading: headed[1].trim() };
  }
  return undefined;
}

/**
 * The start of a text that looks like a paragraph number `parseParagraph` could not read with
 * certainty ("135 1 Take": 135.1, or paragraph 135 and an item 1?), to show it in the rejection.
 */
export function unreadableParagraph(text: string): string | undefined {
  return /^\d{1,3}(?:[\s.]+\d{1,3})+\.?(?=\s|$|\D)/.exec(text.trim())?.[0];
}

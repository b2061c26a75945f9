// Lexical, explainable similarity between recommendation texts, used to propose "same or closely related
// recommendation" links (across UPR cycles, recommending States and mechanisms) that a coordinator confirms.
// Pure and synchronous: the DB-backed service loads texts, builds an index and stores the candidates with
// LINK_METHOD so that stored scores can be recomputed when the method changes.
//
// Method (tfidf-cosine-v1): English texts are normalised (recommending-State attributions stripped, Unicode
// NFKC, lower case), tokenised on Unicode letters/digits, stop words (English + recommendation boilerplate)
// removed, lightly stemmed. Features are stem unigrams, adjacent-stem bigrams (half weight, only if seen in two
// texts) and named instruments found by a small gazetteer, so "ICRMW" and its full title match. Weights are
// sublinear TF x smoothed IDF (saturated for rare words), instruments weighted up; the score is the cosine.
// Candidate pairs come from an inverted index over features that are not very common, with an exact upper
// bound for the rest, so the full O(n^2) loop is avoided.
// Other languages are only tokenised (no stop words, stemming or instruments) and compared among themselves.

export interface LinkableText {
  id: string;
  text: string;
  /** BCP 47 tag; only English ('en', 'en-GB', … or omitted) gets stop words, stemming and instruments. */
  language?: string;
  /** Only texts with the same groupKey (e.g. the State under review) are compared; omit to compare all. */
  groupKey?: string;
}

export interface LinkExplanation {
  method: string;
  score: number;
  /** Top contributing features (product of the two normalised weights), most important first. */
  sharedTerms: { term: string; weight: number }[];
  cosine: number;
  /** Named instruments / institutions found in both texts, e.g. "CPED", "Paris Principles". */
  sharedInstruments: string[];
  [k: string]: unknown;
}

export interface LinkCandidate {
  /** Ids in normalised order: a < b. */
  a: string;
  b: string;
  score: number;
  explanation: LinkExplanation;
}

export interface CandidateOptions {
  threshold: number;
  /** Keep a pair only if it is among the maxPerDoc best links of a or of b. */
  maxPerDoc?: number;
  pairFilter?: (a: string, b: string) => boolean;
  /**
   * Only pairs with at least one of these ids (the records new or changed since the last detection);
   * the others' pairs among themselves are not scored again. Omit to score every pair.
   */
  among?: ReadonlySet<string>;
}

export interface SimilarityOptions {
  /** Instrument features ("#CPED") are weighted this many times their TF-IDF weight. */
  instrumentWeight: number;
  /** Adjacent-word bigrams are weighted this many times their TF-IDF weight (0 disables them). */
  bigramWeight: number;
  /** Bigrams found in fewer texts are dropped: they can never be shared, only dilute every cosine. */
  bigramMinDocFrequency: number;
  /**
   * IDF stops growing below this document frequency (share of the texts): among rare words, rarer is not more
   * topical (paraphrase words, dates, typos), while the subject words of a recurring ask are moderately common.
   */
  idfSaturation: number;
  /** Remove recommendation boilerplate ("continue", "efforts", "measures", …) as stop words. */
  domainStopwords: boolean;
  /** Features found in more than this share of the texts do not generate candidates (they still score). */
  maxDocFrequency: number;
  /** …but the pruning never applies to features found in fewer than this many texts. */
  minPrunedDocFrequency: number;
}

export const LINK_METHOD = 'tfidf-cosine-v1';

/**
 * From the precision/recall sweep over the hand-labelled gold set (gold/README.md, sweep.spec.ts): at 0.40
 * precision 0.80 (0.798), recall 0.24, F1 0.37; 0.45 buys +0.03 precision with 30% of the recall.
 */
export const DEFAULT_LINK_THRESHOLD = 0.4;

export const DEFAULT_SIMILARITY_OPTIONS: Readonly<SimilarityOptions> = {
  instrumentWeight: 2,
  bigramWeight: 0.5,
  bigramMinDocFrequency: 2,
  idfSaturation: 0.05,
  domainStopwords: true,
  maxDocFrequency: 0.1,
  minPrunedDocFrequency: 50,
};

const SHARED_TERMS = 8;

// ---------------------------------------------------------------------------------------------- analysis

const ENGLISH_STOPWORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each either few for from further had has ' +
    'have having he her here hers herself him himself his how i if in into is it its itself just may me might ' +
    'more most must my myself no nor not now of off on once only or other others our ours ourselves out over ' +
    'own same shall she should so some such than that the their theirs them themselves then there these they ' +
    'this those through thus to too under until up upon us very via was we were what when where whether which ' +
    'while who whom why will with within without would you your yours well among amongst already whose'
  ).split(' '),
);

// Words every recommendation uses whatever it asks for: the verb of the ask, its intensity, its scope. They
// link unrelated recommendations ("Continue efforts to ratify X" / "Continue efforts to combat Y"); the subject
// words decide. Kept: "ratify", "combat", "prevent"… which carry part of the ask.
const DOMAIN_STOPWORDS = new Set(
  (
    'recommend continue continuing pursue take taking undertake make step steps measure measures effort efforts ' +
    'ensure ensuring guarantee strengthen strengthening further intensify increase increased enhance improve ' +
    'redouble sustain consider considering possibility view order aim aimed regard regarding necessary ' +
    'appropriate additional effective effectively efficient full fully all particular particularly especially ' +
    'including include notably specific concrete more greater better new adopt implement implementing ' +
    'implementation country state government national relevant possible concerned various area areas field ' +
    'level levels within'
  ).split(' '),
);

// Irregular and domain lemmas the suffix rules cannot reach.
const LEMMAS: Record<string, string> = {
  children: 'child',
  women: 'woman',
  men: 'man',
  people: 'person',
  persons: 'person',
  peoples: 'person',
  ombudsperson: 'ombudsman',
  ombudspersons: 'ombudsman',
  ombudsmen: 'ombudsman',
  racist: 'racism',
  racial: 'racism',
  racially: 'racism',
  racists: 'racism',
  // "violence" and "violation" share a stem the rules would conflate.
  violent: 'viol',
  violation: 'violat',
  violations: 'violat',
  violate: 'violat',
  violated: 'violat',
  violating: 'violat',
  accede: 'ratify',
  accession: 'ratify',
  acceding: 'ratify',
};

/**
 * A light English suffix stemmer: inflections first (plural, -ed, -ing), then derivational suffixes so that
 * ratify/ratification, discriminate/discrimination/discriminatory, prosecute/prosecution/prosecutor,
 * trafficking/traffickers conflate. Over-stemming is consistent across texts, which is all cosine needs; the
 * explanation shows the most frequent surface form, never the stem.
 */
export function stem(word: string): string {
  const lemma = LEMMAS[word];
  if (lemma) return lemma;
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  // Inflections.
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('ied') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w) && w.length > 3) w = w.slice(0, -1);
  let inflected = false;
  if (w.endsWith('ing') && hasVowel(w.slice(0, -3)) && w.length - 3 >= 3) {
    w = w.slice(0, -3);
    inflected = true;
  } else if (w.endsWith('ed') && !w.endsWith('eed') && hasVowel(w.slice(0, -2)) && w.length - 2 >= 3) {
    w = w.slice(0, -2);
    inflected = true;
  }
  // As Porter: "discriminated" → "discriminat" → "discriminate", so the derivational rules see the verb.
  if (inflected) w = /(at|bl|iz|is)$/.test(w) ? w + 'e' : undouble(w);
  // Derivational suffixes, repeated so that "effectively" → "effective" → "effect".
  for (let pass = 0; pass < 3; pass++) {
    const next = derivational(w);
    if (next === w) break;
    w = next;
  }
  if (w.endsWith('e') && w.length > 4) w = undouble(w.slice(0, -1));
  return w;
}

const DERIVATIONAL: [suffix: string, replacement: string, minStem: number][] = [
  ['ification', 'ify', 3],
  ['ational', 'ate', 4],
  ['ization', 'ize', 4],
  ['isation', 'ize', 4],
  ['atory', 'ate', 4],
  ['ation', 'ate', 3],
  ['ator', 'ate', 4],
  ['ness', '', 4],
  ['ally', 'al', 4],
  ['ly', '', 4],
  ['ity', '', 4],
  ['ive', '', 4],
  ['ous', '', 4],
  ['ful', '', 4],
  ['ism', '', 4],
  ['ist', '', 4],
  ['ence', '', 4],
  ['ance', '', 4],
  ['ion', '', 4],
  ['ure', '', 4],
  ['ate', '', 4],
  ['ise', 'ize', 5],
  ['er', '', 4],
  ['or', '', 5],
];

function derivational(w: string): string {
  for (const [suffix, replacement, minStem] of DERIVATIONAL) {
    if (w.endsWith(suffix) && w.length - suffix.length >= minStem)
      return w.slice(0, -suffix.length) + replacement;
  }
  return w;
}

function hasVowel(s: string): boolean {
  return /[aeiouy]/.test(s);
}

function undouble(w: string): string {
  return /([^aeiouylsz])\1$/.test(w) ? w.slice(0, -1) : w;
}

// Matched by stem too, so that "improving", "strengthened" or "considers" go as well.
// (Defined after the stemmer's tables, which it needs at load time.)
const DOMAIN_STOPWORD_STEMS = new Set([...DOMAIN_STOPWORDS].map((word) => stem(word)));

interface Instrument {
  label: string;
  pattern: RegExp;
}

// Named instruments and institutions, by full title (with the usual variants) or acronym, matched on normalised
// text. General UN / Council of Europe / ILO vocabulary, not tuned to one State. Order matters only between
// a protocol and its parent treaty: the protocol's title contains the treaty's.
const INSTRUMENTS: Instrument[] = (
  [
    [
      'OP-ICESCR',
      /optional protocol to the (?:international )?covenant on economic,? social and cultural rights|\bop-?icescr\b/,
    ],
    [
      'OP-ICCPR',
      /(?:second )?optional protocol to the (?:international )?covenant on civil and political rights/,
    ],
    [
      'OPCAT',
      /optional protocol to the convention against torture(?: and other cruel,? inhuman or degrading treatment or punishment)?|\bop-?cat\b/,
    ],
    [
      'OP-CRC-IC',
      /optional protocol to the (?:convention on the )?rights of the child on a communications procedure/,
    ],
    [
      'OP-CRC-SC',
      /optional protocol to the (?:convention on the )?rights of the child on the sale of children[\p{L} ,]*pornography/u,
    ],
    [
      'OP-CRC-AC',
      /optional protocol to the (?:convention on the )?rights of the child on the involvement of children in armed conflict/,
    ],
    [
      'OP-CEDAW',
      /optional protocol to the convention on the elimination of all forms of discrimination against women/,
    ],
    ['OP-CRPD', /optional protocol to the convention on the rights of persons with disabilities/],
    ['ICESCR', /(?:international )?covenant on economic,? social and cultural rights|\bicescr\b/],
    ['ICCPR', /(?:international )?covenant on civil and political rights|\biccpr\b/],
    [
      'CAT',
      /convention against torture(?: and other cruel,? inhuman or degrading treatment or punishment)?|\bcat\b/,
    ],
    [
      'CPED',
      /(?:(?:international )?convention (?:for|on) (?:the )?protection of all persons from |committee on )?enforced disappearances?|\bi?cp?ped\b/,
    ],
    [
      'ICRMW',
      /(?:(?:international )?convention (?:on|for) (?:the )?(?:protection of (?:the )?)?rights of (?:all )?)?migrant workers and members of their famil(?:y|ies)|\bicrmw\b/,
    ],
    ['CRPD', /convention on the rights of persons with disabilities|\bcrpd\b/],
    ['CRC', /convention on the rights of the child|\bcrc\b/],
    [
      'CEDAW',
      /(?:convention on (?:the )?)?elimination of all forms of discrimination against women|\bcedaw\b/,
    ],
    [
      'ICERD',
      /(?:(?:international )?convention on (?:the )?)?elimination of all forms of racial discrimination|\bi?cerd\b/,
    ],
    [
      'Istanbul Convention',
      /(?:council of europe )?convention on preventing and combating violence against women and domestic violence|istanbul convention/,
    ],
    [
      'Lanzarote Convention',
      /(?:council of europe )?convention on the protection of children against sexual exploitation and sexual abuse|lanzarote convention/,
    ],
    ['1961 Statelessness Convention', /(?:(?:1961 )?convention on (?:the )?)?reduction of statelessness/],
    [
      '1954 Statelessness Convention',
      /(?:(?:1954 )?convention relating to )?the status of stateless persons/,
    ],
    ['Refugee Convention', /(?:1951 )?convention relating to the status of refugees/],
    ['Rome Statute', /rome statute(?: of the international criminal court)?/],
    ['Arms Trade Treaty', /arms trade treaty/],
    [
      'ILO C189',
      /(?:(?:ilo|international labour organization) )?(?:domestic workers convention(?:,? 2011)?(?: \(no\.? ?189\))?|convention (?:no\.? ?)?189(?: concerning decent work for domestic workers)?)/,
    ],
    [
      'ILO C169',
      /(?:(?:ilo|international labour organization) )?(?:indigenous and tribal peoples convention|convention (?:no\.? ?)?169)/,
    ],
    [
      'ILO P29',
      /(?:(?:ilo|international labour organization) )?(?:2014 )?protocol (?:of 2014 )?to the forced labour convention(?:,? 1930)?(?: \(no\.? ?29\))?/,
    ],
    ['Paris Principles', /paris principles/],
    ['NHRI', /national human rights institutions?|\bnhris?\b/],
    ['Durban Declaration', /durban declaration(?: and programme of action)?/],
    ['Nelson Mandela Rules', /nelson mandela rules|standard minimum rules for the treatment of prisoners/],
    ['Bangkok Rules', /bangkok rules/],
    ['SDGs', /sustainable development goals?|\bsdgs?\b/],
    ['Paris Agreement', /paris agreement/],
  ] as [string, RegExp][]
).map(([label, pattern]) => ({ label, pattern }));

// One scanner: at each position an instrument title wins over a single word; clause punctuation is a token so
// that bigrams do not join the end of one ask ("…(Egypt);") with the next.
const SCANNER = new RegExp(
  [...INSTRUMENTS.map((i) => `(${i.pattern.source})`), '([\\p{L}\\p{N}]+)', '([;:!?]|\\.(?:\\s|$))'].join(
    '|',
  ),
  'gu',
);
const WORD_GROUP = INSTRUMENTS.length + 1;

/** Lower-case, NFKC, typographic quotes and dashes folded, possessive 's dropped. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/[\u201c\u201d\u00ab\u00bb]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/'s\b/g, '')
    .replace(/\s+/g, ' ');
}

/**
 * Removes recommending-State attributions such as "(Egypt);" or "(Iran (Islamic Republic of))": UPR texts
 * carry them inside compound recommendations and at the end, and shared State names must not make two
 * recommendations look related. Only parentheses of capitalised words (no acronym, no digit) followed by ";",
 * "." or the end qualify, so "(ICRMW)" or "(2009–2014)" stay.
 */
export function stripAttributions(text: string): string {
  let out = text;
  for (;;) {
    const next = stripOneAttribution(out);
    if (next === out) return out;
    out = next;
  }
}

function stripOneAttribution(text: string): string {
  for (let end = text.length - 1; end >= 0; end--) {
    if (text[end] !== ')') continue;
    const start = matchingOpen(text, end);
    if (start < 0) continue;
    const inner = text.slice(start + 1, end);
    const after = text.slice(end + 1);
    if (isAttribution(inner) && /^\s*(?:[;.,]|\(|$)/.test(after)) {
      return (text.slice(0, start).trimEnd() + after).trim();
    }
    end = start;
  }
  return text;
}

function matchingOpen(text: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && --depth === 0) return i;
  }
  return -1;
}

// Lower-case words inside State names ("the former Yugoslav Republic of Macedonia", "Bolivia (Plurinational
// State of)"); the other words must be capitalised but not acronyms ("Côte d'Ivoire", not "ICRMW").
const CONNECTORS = new Set('of the and former da de del du des la le y et'.split(' '));
const NAME_WORD = /^(?:d['’])?\p{Lu}[\p{L}'’.-]*$/u;
// Capitalised titles in parentheses are instruments or plans, not States: "(Istanbul Convention)".
const TITLE_WORD =
  /^(?:Convention|Covenant|Protocol|Principles|Rules|Act|Law|Code|Programme|Strategy|Plan|Agenda|Goals?|Declaration)$/;

function isAttribution(inner: string): boolean {
  const names = inner.replace(/\([^()]*\)/g, '').split(/[,;]| and /);
  if (names.every((n) => n.trim() === '')) return false;
  return names.every((name) => {
    const words = name.trim().split(/\s+/).filter(Boolean);
    return words.every(
      (word) =>
        CONNECTORS.has(word) ||
        (NAME_WORD.test(word) && /\p{Ll}/u.test(word) && !/\d/.test(word) && !TITLE_WORD.test(word)),
    );
  });
}

// Feature keys: a stem ("traffick"), an instrument ("#ILO C189") or a bigram of two of them joined by BIGRAM.
const BIGRAM = '\u0001';
const isBigram = (feature: string): boolean => feature.includes(BIGRAM);
const isInstrument = (feature: string): boolean => feature.startsWith('#') && !isBigram(feature);

interface Analysis {
  /** Feature → raw term frequency. */
  tf: Map<string, number>;
  /** Feature → surface form seen in this text (same keys as tf), for explanations. */
  surface: Map<string, string>;
}

function isEnglish(language: string | undefined): boolean {
  return language === undefined || language === '' || /^en(?:-|$)/i.test(language);
}

// Texts share most of their words: a word's stem, or that it is a stop word (null), is worked out once.
// Cleared when large, as a catalogue's vocabulary is not bounded.
const TERMS = { plain: new Map<string, string | null>(), domain: new Map<string, string | null>() };

function englishTerm(form: string, domainStopwords: boolean): string | null {
  const cache = domainStopwords ? TERMS.domain : TERMS.plain;
  let term = cache.get(form);
  if (term === undefined) {
    term =
      form.length < 2 || ENGLISH_STOPWORDS.has(form) || (domainStopwords && DOMAIN_STOPWORDS.has(form))
        ? null
        : stem(form);
    if (term !== null && domainStopwords && DOMAIN_STOPWORD_STEMS.has(term)) term = null;
    if (cache.size >= 100_000) cache.clear();
    cache.set(form, term);
  }
  return term;
}

function analyse(text: string, language: string | undefined, options: SimilarityOptions): Analysis {
  const tf = new Map<string, number>();
  const surface = new Map<string, string>();
  const add = (feature: string, form: string): void => {
    tf.set(feature, (tf.get(feature) ?? 0) + 1);
    if (!surface.has(feature)) surface.set(feature, form);
  };
  const english = isEnglish(language);
  const working = normaliseText(stripAttributions(text));
  let previous: { stem: string; form: string } | undefined;
  const token = (feature: string, form: string): void => {
    add(feature, form);
    if (previous && previous.stem !== feature && options.bigramWeight > 0) {
      add(`${previous.stem}${BIGRAM}${feature}`, `${previous.form} ${form}`);
    }
    previous = { stem: feature, form };
  };
  // Other languages are only tokenised.
  const words = (fragment: string): void => {
    for (const match of fragment.matchAll(/[\p{L}\p{N}]+/gu)) {
      const form = match[0];
      // Scripts written without spaces (Han, kana) come as one run: index overlapping character pairs.
      if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(form) && form.length > 2) {
        const chars = [...form];
        for (let i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1], chars[i] + chars[i + 1]);
        previous = undefined;
      } else if (form.length > 1 || /\p{Script=Han}/u.test(form)) token(form, form);
    }
  };
  const englishWord = (form: string): void => {
    const s = englishTerm(form, options.domainStopwords);
    if (s !== null) token(s, form);
  };
  if (!english) {
    for (const clause of working.split(/[;:!?]|\.(?:\s|$)/)) {
      previous = undefined;
      words(clause);
    }
    return { tf, surface };
  }
  for (const match of working.matchAll(SCANNER)) {
    // The group is one run of letters and digits: one word.
    if (match[WORD_GROUP] !== undefined) englishWord(match[WORD_GROUP]);
    else if (match[WORD_GROUP + 1] !== undefined) previous = undefined;
    else {
      const k = match.findIndex((g, i) => i > 0 && g !== undefined);
      const { label } = INSTRUMENTS[k - 1];
      token(`#${label}`, label);
    }
  }
  return { tf, surface };
}

// ---------------------------------------------------------------------------------------------- the index

// Features are numbered in code-point order of their keys, so a merge of two vectors adds the products
// in the same order as a merge of the keys would, and integer comparisons replace string ones.
interface DocVector {
  id: string;
  partition: string;
  /** Feature numbers, ascending, with L2-normalised weights. */
  features: Int32Array;
  weights: Float64Array;
  /** Norm of the part of the vector made of pruned (very common) features: bounds what they can add. */
  prunedNorm: number;
}

interface Posting {
  docs: number[];
  weights: number[];
}

/** A pair above the threshold, before its explanation is written (only kept pairs get one). */
interface ScoredPair {
  i: number;
  j: number;
  a: string;
  b: string;
  score: number;
}

export class SimilarityIndex {
  private constructor(
    private readonly docs: DocVector[],
    /** Posting list per feature number; undefined for pruned features. */
    private readonly postings: (Posting | undefined)[],
    /** Key per feature number ("traffick", "#CPED", a bigram). */
    private readonly names: string[],
    /** Most frequent surface form per feature number, for explanations. */
    private readonly surfaces: string[],
    readonly options: Readonly<SimilarityOptions>,
  ) {
    this.positions = new Map(docs.map((doc, i) => [doc.id, i]));
  }

  private readonly positions: Map<string, number>;

  static build(docs: LinkableText[], options: Partial<SimilarityOptions> = {}): SimilarityIndex {
    const opts: SimilarityOptions = { ...DEFAULT_SIMILARITY_OPTIONS, ...options };
    const seen = new Set<string>();
    const analyses = docs.map((doc) => {
      if (seen.has(doc.id)) throw new Error(`duplicate text id ${doc.id}`);
      seen.add(doc.id);
      return analyse(doc.text, doc.language, opts);
    });

    const counted = new Map<string, number>();
    for (const { tf } of analyses)
      for (const feature of tf.keys()) counted.set(feature, (counted.get(feature) ?? 0) + 1);
    // A bigram in too few texts is never kept, so it gets no number (most bigrams are in one text only).
    // The others keep their order, so vectors and sums are as they were.
    const names = [...counted.keys()]
      .filter((name) => (counted.get(name) ?? 0) >= opts.bigramMinDocFrequency || !isBigram(name))
      .sort();
    const numbers = new Map<string, number>();
    const df = new Int32Array(names.length);
    const kinds = new Float64Array(names.length);
    names.forEach((name, f) => {
      numbers.set(name, f);
      df[f] = counted.get(name) ?? 0;
      kinds[f] = isBigram(name) ? opts.bigramWeight : isInstrument(name) ? opts.instrumentWeight : 1;
    });

    // The most frequent surface form names a feature in explanations ("trafficking", not "traffick"); ties
    // go to the first in code-point order. Most features have one form: a count map only for the others.
    const surfaces: string[] = new Array<string>(names.length);
    const formCounts: (Map<string, number> | undefined)[] = new Array(names.length);
    const seenCount = new Int32Array(names.length);
    for (const { surface } of analyses) {
      for (const [feature, form] of surface) {
        const f = numbers.get(feature);
        if (f === undefined) continue;
        const first = surfaces[f];
        if (first === undefined) surfaces[f] = form;
        else if (first !== form || formCounts[f]) {
          const counts = formCounts[f] ?? new Map([[first, seenCount[f]]]);
          counts.set(form, (counts.get(form) ?? 0) + 1);
          formCounts[f] = counts;
          seenCount[f]++;
          continue;
        }
        seenCount[f]++;
      }
    }
    formCounts.forEach((counts, f) => {
      if (!counts) return;
      let best = '';
      let bestCount = -1;
      for (const [form, count] of counts) {
        if (count > bestCount || (count === bestCount && form < best)) [best, bestCount] = [form, count];
      }
      surfaces[f] = best;
    });

    const n = docs.length;
    const saturation = opts.idfSaturation * n;
    const vectors: DocVector[] = analyses.map(({ tf }, i) => {
      const kept: number[] = [];
      for (const feature of tf.keys()) {
        const f = numbers.get(feature);
        if (f !== undefined) kept.push(f);
      }
      const features = Int32Array.from(kept).sort();
      const weights = new Float64Array(features.length);
      let norm = 0;
      for (let k = 0; k < features.length; k++) {
        const f = features[k];
        const d = Math.max(df[f], saturation);
        const idf = Math.log((n + 1) / (d + 1)) + 1;
        const w = (1 + Math.log(tf.get(names[f]) ?? 1)) * idf * kinds[f];
        weights[k] = w;
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      for (let k = 0; k < weights.length; k++) weights[k] /= norm;
      const doc = docs[i];
      const language = isEnglish(doc.language) ? 'en' : (doc.language ?? '').toLowerCase();
      return {
        id: doc.id,
        partition: `${language}\u0000${doc.groupKey ?? ''}`,
        features,
        weights,
        prunedNorm: 0,
      };
    });

    // Postings only for features that are not very common. A pair is scored when it shares at least one of
    // them; what the common features could add is bounded by the product of the two pruned norms
    // (Cauchy-Schwarz), so no pair found this way is dropped wrongly. Pairs sharing only common features are
    // not proposed (on the gold set: none above the default threshold, checked in similarity.spec.ts).
    const maxDf = Math.max(opts.minPrunedDocFrequency, Math.floor(opts.maxDocFrequency * n));
    const postings: (Posting | undefined)[] = new Array(names.length);
    vectors.forEach((vector, i) => {
      let pruned = 0;
      for (let k = 0; k < vector.features.length; k++) {
        const f = vector.features[k];
        const w = vector.weights[k];
        if (df[f] > maxDf) {
          pruned += w * w;
          continue;
        }
        // A feature of one text pairs it with nothing.
        if (df[f] < 2) continue;
        const posting = postings[f] ?? (postings[f] = { docs: [], weights: [] });
        posting.docs.push(i);
        posting.weights.push(w);
      }
      vector.prunedNorm = Math.sqrt(pruned);
    });
    return new SimilarityIndex(vectors, postings, names, surfaces, opts);
  }

  get size(): number {
    return this.docs.length;
  }

  /** Scores one pair by id (for explaining a stored link); undefined if either id is unknown. */
  compare(idA: string, idB: string): LinkCandidate | undefined {
    const i = this.positions.get(idA);
    const j = this.positions.get(idB);
    if (i === undefined || j === undefined || i === j) return undefined;
    return this.candidate(i, j);
  }

  candidates(opts: CandidateOptions): LinkCandidate[] {
    const found: ScoredPair[] = [];
    const n = this.docs.length;
    // Accumulated dot product over shared indexed features, for the pairs (i, j) of the current i.
    const partial = new Float64Array(n);
    const touched: number[] = [];
    // Each pair is scored once: from its smaller index, or, when only some records are compared, from the
    // one of them (from the smaller index if both are).
    let sources: number[];
    let chosen: Uint8Array | undefined;
    if (opts.among) {
      chosen = new Uint8Array(n);
      sources = [];
      for (const id of opts.among) {
        const i = this.positions.get(id);
        if (i !== undefined && !chosen[i]) {
          chosen[i] = 1;
          sources.push(i);
        }
      }
      sources.sort((x, y) => x - y);
    } else {
      sources = Array.from({ length: n }, (_, i) => i);
    }
    for (const i of sources) {
      const doc = this.docs[i];
      for (let k = 0; k < doc.features.length; k++) {
        const posting = this.postings[doc.features[k]];
        if (!posting) continue;
        const w = doc.weights[k];
        const { docs, weights } = posting;
        if (chosen) {
          for (let p = 0; p < docs.length; p++) {
            const j = docs[p];
            if (j === i || (chosen[j] && j < i)) continue;
            if (partial[j] === 0) touched.push(j);
            partial[j] += w * weights[p];
          }
          continue;
        }
        // Postings are in document order: skip to j > i by scanning from the end.
        for (let p = docs.length - 1; p >= 0 && docs[p] > i; p--) {
          const j = docs[p];
          if (partial[j] === 0) touched.push(j);
          partial[j] += w * weights[p];
        }
      }
      for (const j of touched) {
        const other = this.docs[j];
        const bound = partial[j] + doc.prunedNorm * other.prunedNorm;
        partial[j] = 0;
        if (bound < opts.threshold - 5e-5 || other.partition !== doc.partition) continue;
        const score = round(Math.min(1, this.cosine(doc, other)));
        if (score < opts.threshold) continue;
        const [a, b] = compareIds(doc.id, other.id) <= 0 ? [doc.id, other.id] : [other.id, doc.id];
        if (opts.pairFilter && !opts.pairFilter(a, b)) continue;
        found.push({ i, j, a, b, score });
      }
      touched.length = 0;
    }
    found.sort(byScore);
    const kept = opts.maxPerDoc === undefined ? found : topPerDoc(found, opts.maxPerDoc);
    return kept.map(({ i, j }) => this.candidate(i, j));
  }

  /** Every pair scored without the index: the reference the inverted index is tested against. */
  bruteForceCandidates(threshold: number): LinkCandidate[] {
    const found: LinkCandidate[] = [];
    for (let i = 0; i < this.docs.length; i++) {
      for (let j = i + 1; j < this.docs.length; j++) {
        if (this.docs[i].partition !== this.docs[j].partition) continue;
        const c = this.candidate(i, j);
        if (c.score >= threshold) found.push(c);
      }
    }
    return found.sort(byScore);
  }

  /** The cosine of two normalised vectors: a merge of their ascending feature numbers. */
  private cosine(x: DocVector, y: DocVector): number {
    let cosine = 0;
    const fx = x.features;
    const fy = y.features;
    for (let p = 0, q = 0; p < fx.length && q < fy.length;) {
      if (fx[p] === fy[q]) cosine += x.weights[p++] * y.weights[q++];
      else if (fx[p] < fy[q]) p++;
      else q++;
    }
    return cosine;
  }

  private candidate(i: number, j: number): LinkCandidate {
    const x = this.docs[i];
    const y = this.docs[j];
    const shared: { feature: number; weight: number }[] = [];
    let cosine = 0;
    for (let p = 0, q = 0; p < x.features.length && q < y.features.length;) {
      const fx = x.features[p];
      const fy = y.features[q];
      if (fx === fy) {
        const w = x.weights[p] * y.weights[q];
        cosine += w;
        shared.push({ feature: fx, weight: w });
        p++;
        q++;
      } else if (fx < fy) p++;
      else q++;
    }
    shared.sort((u, v) => v.weight - u.weight || u.feature - v.feature);
    const score = round(Math.min(1, cosine));
    const [a, b] = compareIds(x.id, y.id) <= 0 ? [x.id, y.id] : [y.id, x.id];
    return {
      a,
      b,
      score,
      explanation: {
        method: LINK_METHOD,
        score,
        cosine: score,
        sharedTerms: shared
          .slice(0, SHARED_TERMS)
          .map((s) => ({ term: this.surfaces[s.feature] ?? this.names[s.feature], weight: round(s.weight) })),
        sharedInstruments: shared
          .filter((s) => isInstrument(this.names[s.feature]))
          .map((s) => this.names[s.feature].slice(1)),
      },
    };
  }
}

function byScore(
  x: { score: number; a: string; b: string },
  y: { score: number; a: string; b: string },
): number {
  return y.score - x.score || compareIds(x.a, y.a) || compareIds(x.b, y.b);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

function topPerDoc<T extends { a: string; b: string }>(sorted: T[], k: number): T[] {
  // Ranks are counted over all candidates (best first), so a pair is kept if it is in a's or b's top k.
  const ranks = new Map<string, number>();
  return sorted.filter((c) => {
    const ra = ranks.get(c.a) ?? 0;
    const rb = ranks.get(c.b) ?? 0;
    ranks.set(c.a, ra + 1);
    ranks.set(c.b, rb + 1);
    return ra < k || rb < k;
  });
}

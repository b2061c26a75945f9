import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES, SOURCE_LOCALE, type Locale } from './locales';

const MESSAGES = join(__dirname, 'messages');
/** The shared catalogue and each area's folder: `messages/<locale>.json`, `messages/<area>/<locale>.json`. */
const AREAS = [
  '',
  ...readdirSync(MESSAGES, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name),
];
const areaCatalogue = (area: string, locale: Locale): Record<string, string> =>
  JSON.parse(readFileSync(join(MESSAGES, area, `${locale}.json`), 'utf8'));
const catalogue = (locale: Locale): Record<string, string> =>
  Object.assign({}, ...AREAS.map((area) => areaCatalogue(area, locale)));

/** Every argument a message uses, with its kind (`count:plural`, `name:argument`, `date:date`…). */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
        into.add(`${element.value}:argument`);
        break;
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        into.add(`${element.value}:${TYPE[element.type]}`);
        break;
      case TYPE.plural:
      case TYPE.select:
        into.add(`${element.value}:${TYPE[element.type]}`);
        for (const option of Object.values(element.options)) argumentsOf(option.value, into);
        break;
      case TYPE.tag:
        into.add(`<${element.value}>`);
        argumentsOf(element.children, into);
        break;
      default:
        break;
    }
  }
  return into;
}

function plurals(elements: MessageFormatElement[], into: { name: string; options: string[] }[] = []) {
  for (const element of elements) {
    if (element.type === TYPE.plural) {
      into.push({ name: String(element.value), options: Object.keys(element.options) });
      for (const option of Object.values(element.options)) plurals(option.value, into);
    } else if (element.type === TYPE.select) {
      for (const option of Object.values(element.options)) plurals(option.value, into);
    } else if (element.type === TYPE.tag) plurals(element.children, into);
  }
  return into;
}

const source = catalogue(SOURCE_LOCALE);

describe.each(LOCALES.filter((locale) => locale !== SOURCE_LOCALE))('the %s catalogue', (locale) => {
  const messages = catalogue(locale);

  it('has every key of the English one and no other', () => {
    expect(Object.keys(messages).sort()).toEqual(Object.keys(source).sort());
  });

  it.each(Object.keys(source))('%s uses the same placeholders as in English', (key) => {
    const translated = messages[key];
    expect(translated, `${locale} lacks ${key}`).toBeDefined();
    expect([...argumentsOf(parse(translated ?? ''))].sort()).toEqual(
      [...argumentsOf(parse(source[key]!))].sort(),
    );
  });

  it('gives every plural each form the language has', () => {
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    const gaps = Object.entries(messages).flatMap(([key, text]) =>
      plurals(parse(text)).flatMap(({ name, options }) =>
        categories
          .filter((category) => !options.includes(category))
          .map((missing) => `${key} {${name}}: ${missing}`),
      ),
    );
    expect(gaps).toEqual([]);
  });
});

describe('the English catalogue', () => {
  it('parses, and every plural has its one and other forms', () => {
    for (const [key, text] of Object.entries(source))
      for (const { options } of plurals(parse(text)))
        expect(options, key).toEqual(expect.arrayContaining(['one', 'other']));
  });
});

describe('the areas', () => {
  it.each(LOCALES)('define each %s key once across the shared catalogue and the areas', (locale) => {
    const seen = new Map<string, string>();
    const repeated: string[] = [];
    for (const area of AREAS)
      for (const key of Object.keys(areaCatalogue(area, locale))) {
        if (seen.has(key)) repeated.push(`${key} in ${seen.get(key) || '(shared)'} and ${area}`);
        seen.set(key, area);
      }
    expect(repeated).toEqual([]);
  });
});

/** The text a message writes itself, outside its arguments and ICU syntax (`=0` selectors stay Latin). */
function literalsOf(elements: MessageFormatElement[], into: string[] = []): string[] {
  for (const element of elements) {
    if (element.type === TYPE.literal) into.push(element.value);
    if (element.type === TYPE.plural || element.type === TYPE.select)
      for (const option of Object.values(element.options)) literalsOf(option.value, into);
    if (element.type === TYPE.tag) literalsOf(element.children, into);
  }
  return into;
}

describe('the Arabic catalogue', () => {
  it("writes its own numbers in Arabic-Indic digits, as the formatted ones are (formattingTag 'ar-u-nu-arab')", () => {
    // The coordinator's texts are left out: their examples of document symbols and paragraph numbers
    // (A/HRC/43/15, 121.2) are identifiers, written as the UN writes them.
    const texts = Object.assign(
      {},
      ...['', 'participants', 'public'].map((area) => areaCatalogue(area, 'ar')),
    );
    const latin = Object.entries(texts as Record<string, string>).filter(([, text]) =>
      literalsOf(parse(text)).some((literal) => /[0-9]/.test(literal)),
    );
    expect(latin.map(([key]) => key)).toEqual([]);
  });
});

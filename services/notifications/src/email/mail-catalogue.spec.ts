import { IntlMessageFormat } from 'intl-messageformat';
import { LANGUAGES } from '../recipients/languages';
import { MAIL_CATALOGUES } from './mail-catalogue';
import { MAIL_KINDS } from './mail-kinds';

// intl-messageformat's AST element types (from @formatjs/icu-messageformat-parser).
const SELECT = 5;
const PLURAL = 6;

interface Element {
  type: number;
  value?: string;
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
}

/** Every placeholder a message uses, plural and select arguments included, and their plural categories. */
function inspect(text: string, language: string) {
  const placeholders = new Set<string>();
  const plurals: Array<{ name: string; categories: string[] }> = [];
  const walk = (elements: Element[]) => {
    for (const element of elements) {
      if (element.value !== undefined && element.type !== 0 && element.type !== 7)
        placeholders.add(element.value);
      if (element.type === PLURAL)
        plurals.push({ name: element.value as string, categories: Object.keys(element.options ?? {}) });
      if (element.type === PLURAL || element.type === SELECT)
        for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(text, language).getAst() as unknown as Element[]);
  return { placeholders, plurals };
}

describe('mail catalogues', () => {
  const english = MAIL_CATALOGUES.en;

  it.each(LANGUAGES)('%s has exactly the English keys', (language) => {
    expect(Object.keys(MAIL_CATALOGUES[language]).sort()).toEqual(Object.keys(english).sort());
  });

  it.each(LANGUAGES)('%s uses the same placeholders as English in every message', (language) => {
    const differing = Object.keys(english).filter((key) => {
      const ours = [...inspect(MAIL_CATALOGUES[language][key], language).placeholders].sort();
      const theirs = [...inspect(english[key as keyof typeof english], 'en').placeholders].sort();
      return JSON.stringify(ours) !== JSON.stringify(theirs);
    });
    expect(differing).toEqual([]);
  });

  it.each(LANGUAGES)('%s gives every plural all the categories of its language', (language) => {
    const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    const missing = Object.entries(MAIL_CATALOGUES[language]).flatMap(([key, text]) =>
      inspect(text, language).plurals.flatMap((plural) =>
        needed.filter((category) => !plural.categories.includes(category)).map((c) => `${key}: ${c}`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('has a subject and a body for every kind of mail, and the digest texts', () => {
    const needed = [
      ...MAIL_KINDS.flatMap((kind) => [`${kind}.subject`, `${kind}.body`]),
      'digest.subject',
      'digest.intro',
      'digest.dueOn',
      'digest.noDueDate',
      'mail.footer',
      'mail.preferences',
    ];
    expect(needed.filter((key) => !(key in english))).toEqual([]);
  });

  it('sees a placeholder renamed in one language (the check can fail)', () => {
    const renamed = inspect('{titre} — {days, plural, one {# jour} other {# jours}}', 'fr').placeholders;
    expect([...renamed].sort()).toEqual(['days', 'titre']);
    expect(inspect('{n, plural, one {#} other {#}}', 'ar').plurals[0].categories).toEqual(['one', 'other']);
  });
});

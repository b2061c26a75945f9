// The six UN languages. English is the source catalogue; the other five are machine-translated
// (see messages/README.md) until a translator reviews them.
export const LOCALES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const SOURCE_LOCALE: Locale = 'en';

/** Each language's name in itself, for the switcher (never translated). */
export const LOCALE_NAMES: Record<Locale, string> = {
  ar: 'العربية',
  zh: '中文',
  en: 'English',
  fr: 'Français',
  ru: 'Русский',
  es: 'Español',
};

export const directionOf = (locale: Locale): 'rtl' | 'ltr' => (locale === 'ar' ? 'rtl' : 'ltr');

/**
 * The tag numbers and dates are formatted with: plain `ar` prints Latin digits, so Arabic asks for
 * Arabic-Indic ones; Chinese is the simplified script the UN uses.
 */
export const formattingTag: Record<Locale, string> = {
  ar: 'ar-u-nu-arab',
  zh: 'zh-Hans',
  en: 'en',
  fr: 'fr',
  ru: 'ru',
  es: 'es',
};

/**
 * Numbers as the reader writes them, for what react-intl does not format (the charts' axes and
 * tooltips): Arabic-Indic digits in Arabic, each language's grouping.
 */
export function numberFormatter(locale: Locale): (value: number) => string {
  const format = new Intl.NumberFormat(formattingTag[locale]);
  return (value) => format.format(value);
}

export type Messages = Record<string, string>;

/**
 * Each language is its own set of chunks: a user downloads only the language they read. A
 * language's messages are `messages/<locale>.json` (shared texts) merged with every
 * `messages/<area>/<locale>.json` (one folder per area of the application).
 */
const catalogueFiles = import.meta.glob<{ default: Messages }>('./messages/**/*.json');

export async function loadMessages(locale: Locale): Promise<Messages> {
  const parts = await Promise.all(
    Object.entries(catalogueFiles)
      .filter(([path]) => path.endsWith(`/${locale}.json`))
      .map(([, load]) => load()),
  );
  return Object.assign({}, ...parts.map((part) => part.default)) as Messages;
}

export const isLocale = (value: unknown): value is Locale =>
  typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

const STORAGE_KEY = 'nmirf.locale';

/** The remembered choice, else the browser's first language we have, else English. */
export function initialLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (isLocale(stored)) return stored;
  for (const tag of globalThis.navigator?.languages ?? []) {
    const language = tag.toLowerCase().split('-')[0];
    if (isLocale(language)) return language;
  }
  return SOURCE_LOCALE;
}

export function rememberLocale(locale: Locale): void {
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
}

import ar from './messages/ar.json';
import en from './messages/en.json';
import es from './messages/es.json';
import fr from './messages/fr.json';
import ru from './messages/ru.json';
import zh from './messages/zh.json';

/** The six UN languages, in UN order: the calendar speaks each of them. */
export const CALENDAR_LANGS = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type CalendarLang = (typeof CALENDAR_LANGS)[number];

/** English is the reference catalogue: its keys are the keys every language must have. */
export type CalendarMessageKey = keyof typeof en;

/** A list parameter (paragraph numbers) is joined the way the language joins lists. */
export type MessageParams = Readonly<Record<string, string | number | readonly string[]>>;

/** Text for people, kept as a key and parameters until a language is chosen. */
export interface CalendarMessage {
  key: CalendarMessageKey;
  params: MessageParams;
}

export type Translate = (message: CalendarMessage) => string;

export const CALENDAR_MESSAGES: Readonly<Record<CalendarLang, Readonly<Record<string, string>>>> = {
  ar,
  zh,
  en,
  fr,
  ru,
  es,
};

export function isCalendarLang(value: unknown): value is CalendarLang {
  return typeof value === 'string' && (CALENDAR_LANGS as readonly string[]).includes(value);
}

/**
 * Fills `{name}` placeholders from the catalogue of `lang`. A missing key or parameter is a bug in
 * the caller, not something to show a reader, so it throws.
 */
export function calendarTranslator(lang: CalendarLang): Translate {
  const catalogue = CALENDAR_MESSAGES[lang];
  const lists = new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' });
  return ({ key, params }) => {
    const template = catalogue[key];
    if (template === undefined) throw new Error(`No calendar message "${key}" in ${lang}`);
    return template.replace(/\{(\w+)\}/g, (_placeholder, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`Calendar message "${key}" needs the parameter "${name}"`);
      return Array.isArray(value) ? lists.format(value) : String(value);
    });
  };
}

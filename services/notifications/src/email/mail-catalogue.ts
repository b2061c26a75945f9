import { IntlMessageFormat } from 'intl-messageformat';
import type { Language } from '../recipients/languages';
import ar from './messages/ar.json';
import en from './messages/en.json';
import es from './messages/es.json';
import fr from './messages/fr.json';
import ru from './messages/ru.json';
import zh from './messages/zh.json';

/** Every text of every mail, one ICU MessageFormat catalogue per UN language; English names the keys. */
export const MAIL_CATALOGUES: Readonly<Record<Language, Readonly<Record<string, string>>>> = {
  ar,
  zh,
  en,
  fr,
  ru,
  es,
};
export type MailMessageKey = keyof typeof en;

const compiled = new Map<string, IntlMessageFormat>();

/** One message in one language; compiled once (the parse is the costly part). */
export function formatMessage(
  language: Language,
  key: MailMessageKey,
  values: Record<string, string | number> = {},
): string {
  const id = `${language}:${key}`;
  let format = compiled.get(id);
  if (!format) {
    const text = MAIL_CATALOGUES[language][key];
    if (text === undefined) throw new Error(`The ${language} mail catalogue has no "${key}"`);
    format = new IntlMessageFormat(text, language);
    compiled.set(id, format);
  }
  return String(format.format(values));
}

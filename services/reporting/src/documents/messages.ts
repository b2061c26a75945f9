import ar from './messages/ar.json';
import en from './messages/en.json';
import es from './messages/es.json';
import fr from './messages/fr.json';
import ru from './messages/ru.json';
import themes from './messages/themes.json';
import zh from './messages/zh.json';

/** The six UN languages a report can be produced in. */
export const REPORT_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];
export type MessageKey = keyof typeof en;

const catalogues: Record<ReportLanguage, Record<MessageKey, string>> = { ar, zh, en, fr, ru, es };

export const isRightToLeft = (language: ReportLanguage): boolean => language === 'ar';

/** A label from the language's catalogue, with `{name}` placeholders filled in. */
export function message(
  language: ReportLanguage,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  const template = catalogues[language][key] ?? catalogues.en[key];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** A status or position name from the catalogue; an unknown value is shown as it is, never dropped. */
export function statusName(
  language: ReportLanguage,
  group: 'position' | 'implementation' | 'action' | 'author',
  value: string,
): string {
  const key = `${group}.${value}` as MessageKey;
  return key in catalogues.en ? message(language, key) : value;
}

// Dates in UTC, so a report compiled anywhere shows the same day; Arabic with Arabic-Indic digits.
const dateFormats = new Map<ReportLanguage, Intl.DateTimeFormat>();
export function formatDate(language: ReportLanguage, date: Date): string {
  let format = dateFormats.get(language);
  if (!format) {
    const locale = language === 'ar' ? 'ar-EG' : language;
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    });
    dateFormats.set(language, format);
  }
  return format.format(date);
}

export function formatNumber(language: ReportLanguage, value: number): string {
  return value.toLocaleString(language === 'ar' ? 'ar-EG' : language);
}

const themeLabels = themes as Record<string, Partial<Record<ReportLanguage, string>>>;

/**
 * A theme of the cross-cycle crosswalk in the report's language (labels copied from the
 * recommendations service's data/themes/crosswalk.json); an unknown key is shown as it is.
 */
export function themeLabel(language: ReportLanguage, key: string): string {
  const labels = themeLabels[key];
  return labels?.[language] ?? labels?.en ?? key;
}

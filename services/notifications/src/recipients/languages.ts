/** The six official languages of the United Nations: a mail is written in one of them. */
export const LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** 'fr-CA', 'zh_Hans', 'AR' → one of the six, or undefined for any other language. */
export function languageOf(locale: string | undefined): Language | undefined {
  const primary = locale?.split(/[-_]/)[0]?.toLowerCase();
  return isLanguage(primary) ? primary : undefined;
}

/** Zones already accepted: asking Intl costs more than the rest of a request's token handling. */
const knownZones = new Set<string>();

/** An IANA time zone this runtime knows ('Europe/Paris', 'UTC'); Intl refuses the others. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  if (knownZones.has(value)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    return false;
  }
  if (knownZones.size < 1_000) knownZones.add(value);
  return true;
}

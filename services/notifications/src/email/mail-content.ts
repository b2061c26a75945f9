import type { Language } from '../recipients/languages';
import { formatMessage, MAIL_CATALOGUES, type MailMessageKey } from './mail-catalogue';
import { mailKindOf, type MailKind } from './mail-kinds';
import type { MailItem } from './mail-templates';

/** The columns of a notification a mail needs. */
export interface NotificationForMail {
  id: string;
  kind: string;
  institution: string;
  subjectKind: string;
  subjectId: string;
  params: Record<string, unknown>;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** An ISO date (2026-03-15) is a calendar day; an ISO moment is a moment. */
function dueOf(params: Record<string, unknown>): MailItem['due'] {
  const raw = text(params.dueAt) ?? text(params.dueOn);
  if (!raw) return null;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) return null;
  return { at, dateOnly: /^\d{4}-\d{2}-\d{2}$/.test(raw) };
}

/**
 * A reporting deadline's title in the reader's language, from the calendar's catalogue (a copy of
 * its titles, `calendar.<kind>.title`, in ./messages); a key this service does not know yet (a newer
 * calendar) is shown as the manual entry's own title, if any, rather than as a raw key.
 */
function calendarTitle(params: Record<string, unknown>, language: Language): string | undefined {
  const key = text(params.titleKey);
  if (!key) return undefined;
  const values: Record<string, string | number> = {};
  const given = params.titleParams;
  if (given && typeof given === 'object')
    for (const [name, value] of Object.entries(given as Record<string, unknown>))
      if (typeof value === 'string' || typeof value === 'number') values[name] = value;
  const messageKey = `calendar.${key}`;
  if (messageKey in MAIL_CATALOGUES[language]) {
    try {
      return formatMessage(language, messageKey as MailMessageKey, values);
    } catch {
      // A parameter missing from an older event: fall through to what the entry says of itself.
    }
  }
  return text(values.title as string) ?? key;
}

/** Where the web application shows the subject of a notification. */
export function itemLink(webAppUrl: string, notification: NotificationForMail): string {
  const id = encodeURIComponent(notification.subjectId);
  switch (notification.subjectKind) {
    case 'action':
      return `${webAppUrl}/actions/${id}`;
    case 'reporting_deadline':
      return `${webAppUrl}/calendar/${id}`;
    case 'indicator':
      return `${webAppUrl}/indicators/${id}`;
    default:
      return `${webAppUrl}/inbox`;
  }
}

export const preferencesLink = (webAppUrl: string): string => `${webAppUrl}/settings/notifications`;

/**
 * A notification as a mail tells it, in the reader's language; undefined for kinds never mailed.
 * `institutionNames`: the directory's names by institution id and language.
 */
export function mailItemOf(
  notification: NotificationForMail,
  language: Language,
  institutionNames: ReadonlyMap<string, Partial<Record<string, string>>>,
  webAppUrl: string,
): MailItem | undefined {
  const kind: MailKind | undefined = mailKindOf(notification.kind);
  if (!kind) return undefined;
  const params = notification.params;
  // The responsible institution when the copy goes elsewhere (an overdue action told to the coordinator).
  const institutionId = text(params.institution) ?? notification.institution;
  const names = institutionNames.get(institutionId);
  return {
    kind,
    title: text(params.title) ?? text(params.name) ?? calendarTitle(params, language) ?? '',
    institution: names?.[language] || names?.en || institutionId,
    due: dueOf(params),
    link: itemLink(webAppUrl, notification),
    // The reviewer's words, as written: only a returned report carries them.
    reason: kind === 'returned_for_changes' ? text(params.reason) : undefined,
  };
}

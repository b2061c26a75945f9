import type { Language } from '../recipients/languages';
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
    title: text(params.title) ?? text(params.name) ?? text(params.titleKey) ?? '',
    institution: names?.[language] || names?.en || institutionId,
    due: dueOf(params),
    link: itemLink(webAppUrl, notification),
  };
}

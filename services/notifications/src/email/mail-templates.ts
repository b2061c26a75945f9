import type { Language } from '../recipients/languages';
import { formatMessage, type MailMessageKey } from './mail-catalogue';
import type { MailKind } from './mail-kinds';

/** One notification as a mail tells it. */
export interface MailItem {
  kind: MailKind;
  title: string;
  /** The institution's name in the reader's language. */
  institution: string;
  /** A moment (an action's due date) or a calendar day (a reporting deadline, `dateOnly`). */
  due: { at: Date; dateOnly: boolean } | null;
  /** The item in the web application. */
  link: string;
  /** Why a report was returned for changes, in the reviewer's words (not translated). */
  reason?: string;
}

export interface MailReader {
  language: Language;
  timeZone: string;
}

export interface MailLinks {
  /** Where the reader changes which mails they receive. */
  preferences: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
  language: Language;
}

const DAY_MS = 86_400_000;

/** The reader's calendar day of a moment, as a day number (days since 1970-01-01). */
function dayNumber(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / DAY_MS;
}

/** A calendar day stays that day everywhere; a moment is shown in the reader's time zone. */
export function formatDue(due: NonNullable<MailItem['due']>, reader: MailReader): string {
  return new Intl.DateTimeFormat(reader.language, {
    dateStyle: 'long',
    timeZone: due.dateOnly ? 'UTC' : reader.timeZone,
  }).format(due.at);
}

/** Whole calendar days between today and the due day, in the reader's time zone (negative: late). */
export function daysUntil(due: NonNullable<MailItem['due']>, reader: MailReader, now: Date): number {
  const dueDay = due.dateOnly ? Math.floor(due.at.getTime() / DAY_MS) : dayNumber(due.at, reader.timeZone);
  return dueDay - dayNumber(now, reader.timeZone);
}

function itemValues(item: MailItem, reader: MailReader, now: Date): Record<string, string | number> {
  const days = item.due ? daysUntil(item.due, reader, now) : 0;
  return {
    title: item.title,
    institution: item.institution,
    due: item.due ? formatDue(item.due, reader) : '',
    // Reminders count down, overdue and escalation count the days late.
    days: item.kind === 'reminder' ? Math.max(0, days) : Math.max(0, -days),
  };
}

export function itemSubject(item: MailItem, reader: MailReader, now: Date): string {
  return formatMessage(
    reader.language,
    `${item.kind}.subject` as MailMessageKey,
    itemValues(item, reader, now),
  );
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string,
  );

const direction = (language: Language): 'rtl' | 'ltr' => (language === 'ar' ? 'rtl' : 'ltr');

function htmlDocument(reader: MailReader, subject: string, content: string, links: MailLinks): string {
  const dir = direction(reader.language);
  const align = dir === 'rtl' ? 'right' : 'left';
  return [
    '<!DOCTYPE html>',
    `<html lang="${reader.language}" dir="${dir}">`,
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body dir="${dir}" style="font-family: 'Noto Sans', Arial, sans-serif; text-align: ${align}; color: #1a1a1a;">`,
    content,
    '<hr>',
    `<p style="font-size: 12px; color: #555;">${escapeHtml(formatMessage(reader.language, 'mail.footer'))}<br>`,
    `<a href="${escapeHtml(links.preferences)}">${escapeHtml(formatMessage(reader.language, 'mail.preferences'))}</a></p>`,
    '</body>',
    '</html>',
  ].join('\n');
}

function textFooter(reader: MailReader, links: MailLinks): string {
  return [
    '-- ',
    formatMessage(reader.language, 'mail.footer'),
    `${formatMessage(reader.language, 'mail.preferences')}: ${links.preferences}`,
  ].join('\n');
}

/** The mail of one notification: subject, HTML and plain text in the reader's language. */
export function renderNotificationMail(
  item: MailItem,
  reader: MailReader,
  links: MailLinks,
  now: Date = new Date(),
): RenderedMail {
  const values = itemValues(item, reader, now);
  const subject = itemSubject(item, reader, now);
  const body = formatMessage(reader.language, `${item.kind}.body` as MailMessageKey, values);
  const due = item.due ? formatMessage(reader.language, 'mail.due', values) : undefined;
  const reason = item.reason
    ? formatMessage(reader.language, 'returned_for_changes.reason', { reason: item.reason })
    : undefined;
  const open = formatMessage(reader.language, 'mail.open');
  const html = htmlDocument(
    reader,
    subject,
    [
      `<p>${escapeHtml(body)}</p>`,
      reason ? `<p>${escapeHtml(reason)}</p>` : '',
      due ? `<p><strong>${escapeHtml(due)}</strong></p>` : '',
      `<p><a href="${escapeHtml(item.link)}">${escapeHtml(open)}</a></p>`,
    ]
      .filter(Boolean)
      .join('\n'),
    links,
  );
  const text = [
    body,
    ...(reason ? [reason] : []),
    ...(due ? [due] : []),
    `${open}: ${item.link}`,
    '',
    textFooter(reader, links),
  ].join('\n\n');
  return { subject, html, text, language: reader.language };
}

/** Items of a digest under their due day (in the reader's time zone), soonest first; no due date last. */
export function groupByDueDate(
  items: MailItem[],
  reader: MailReader,
): Array<{ day: number | null; due: MailItem['due']; items: MailItem[] }> {
  const groups = new Map<number | null, { day: number | null; due: MailItem['due']; items: MailItem[] }>();
  for (const item of items) {
    const day = item.due
      ? item.due.dateOnly
        ? Math.floor(item.due.at.getTime() / DAY_MS)
        : dayNumber(item.due.at, reader.timeZone)
      : null;
    const group = groups.get(day) ?? { day, due: item.due, items: [] };
    group.items.push(item);
    groups.set(day, group);
  }
  return [...groups.values()].sort((a, b) => (a.day === null ? 1 : b.day === null ? -1 : a.day - b.day));
}

/** A digest of several notifications, grouped by due date. Never called with none: an empty digest is not sent. */
export function renderDigestMail(
  items: MailItem[],
  reader: MailReader,
  links: MailLinks,
  now: Date = new Date(),
): RenderedMail {
  if (items.length === 0) throw new Error('An empty digest is not sent');
  const count = items.length;
  const subject = formatMessage(reader.language, 'digest.subject', { count });
  const intro = formatMessage(reader.language, 'digest.intro', { count });
  const groups = groupByDueDate(items, reader).map((group) => ({
    heading: group.due
      ? formatMessage(reader.language, 'digest.dueOn', { due: formatDue(group.due, reader) })
      : formatMessage(reader.language, 'digest.noDueDate'),
    lines: group.items.map((item) => ({ text: itemSubject(item, reader, now), link: item.link })),
  }));
  const html = htmlDocument(
    reader,
    subject,
    [
      `<p>${escapeHtml(intro)}</p>`,
      ...groups.map(
        (group) =>
          `<h3>${escapeHtml(group.heading)}</h3>\n<ul>\n${group.lines
            .map((line) => `<li><a href="${escapeHtml(line.link)}">${escapeHtml(line.text)}</a></li>`)
            .join('\n')}\n</ul>`,
      ),
    ].join('\n'),
    links,
  );
  const text = [
    intro,
    ...groups.map((group) =>
      [group.heading, ...group.lines.map((line) => `- ${line.text}\n  ${line.link}`)].join('\n'),
    ),
    textFooter(reader, links),
  ].join('\n\n');
  return { subject, html, text, language: reader.language };
}

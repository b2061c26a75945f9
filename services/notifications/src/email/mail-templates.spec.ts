import { formatMessage } from './mail-catalogue';
import { mailItemOf, type NotificationForMail } from './mail-content';
import {
  daysUntil,
  groupByDueDate,
  renderDigestMail,
  renderNotificationMail,
  type MailItem,
} from './mail-templates';

const now = new Date('2026-03-01T09:00:00Z');
const links = { preferences: 'https://nmirf.example/settings/notifications' };
const item = (overrides: Partial<MailItem> = {}): MailItem => ({
  kind: 'assignment',
  title: 'Train prison staff <on> rights',
  institution: 'Ministry of Justice',
  due: { at: new Date('2026-03-15T12:00:00Z'), dateOnly: false },
  link: 'https://nmirf.example/actions/6f1c0f8e-0000-4000-8000-000000000001',
  ...overrides,
});

describe('plurals', () => {
  it('Arabic has six forms', () => {
    const forms = [0, 1, 2, 3, 11, 100].map((count) => formatMessage('ar', 'digest.subject', { count }));
    expect(forms).toEqual([
      'NMIRF: لا تحديثات',
      'NMIRF: تحديث واحد',
      'NMIRF: تحديثان',
      'NMIRF: 3 تحديثات',
      'NMIRF: 11 تحديثًا',
      'NMIRF: 100 تحديث',
    ]);
  });

  it('Russian has three forms for whole numbers', () => {
    const forms = [1, 2, 5, 21, 22, 25].map((days) =>
      formatMessage('ru', 'overdue.body', { title: 'X', due: 'D', days }),
    );
    expect(forms.map((text) => text.split('— ')[1])).toEqual([
      '1 день.',
      '2 дня.',
      '5 дней.',
      '21 день.',
      '22 дня.',
      '25 дней.',
    ]);
  });

  it('a reminder on the day says today rather than a number', () => {
    expect(formatMessage('en', 'reminder.subject', { days: 0, title: 'T' })).toBe('Due today: T');
    expect(formatMessage('fr', 'reminder.subject', { days: 1, title: 'T' })).toBe('Échéance dans 1 jour : T');
  });
});

describe('a notification mail', () => {
  it('is in Arabic, right to left, with the item and preferences links in both parts', () => {
    const mail = renderNotificationMail(item(), { language: 'ar', timeZone: 'Asia/Amman' }, links, now);
    expect(mail.subject).toBe('إجراء جديد لـ Ministry of Justice: Train prison staff <on> rights');
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.html).toContain('href="https://nmirf.example/actions/6f1c0f8e-0000-4000-8000-000000000001"');
    expect(mail.html).toContain(`href="${links.preferences}"`);
    // Titles are data: escaped in HTML, as typed in the text part.
    expect(mail.html).toContain('Train prison staff &lt;on&gt; rights');
    expect(mail.text).toContain('Train prison staff <on> rights');
    expect(mail.text).toContain('https://nmirf.example/actions/6f1c0f8e-0000-4000-8000-000000000001');
    expect(mail.text).toContain(links.preferences);
    expect(mail.text).not.toMatch(/<\/?(p|a|html)\b/);
  });

  it('is in French, left to right, with the date in French in the reader’s time zone', () => {
    // 23:30 UTC on the 14th is already the 15th in Paris, still the 14th in New York.
    const late = item({ due: { at: new Date('2026-03-14T23:30:00Z'), dateOnly: false } });
    const paris = renderNotificationMail(late, { language: 'fr', timeZone: 'Europe/Paris' }, links, now);
    const newYork = renderNotificationMail(
      late,
      { language: 'fr', timeZone: 'America/New_York' },
      links,
      now,
    );
    expect(paris.html).toContain('<html lang="fr" dir="ltr">');
    expect(paris.text).toContain('avec pour échéance le 15 mars 2026');
    expect(newYork.text).toContain('avec pour échéance le 14 mars 2026');
  });

  it('counts the days late of an overdue item in the reader’s calendar', () => {
    const overdue = item({ kind: 'overdue', due: { at: new Date('2026-02-26T12:00:00Z'), dateOnly: false } });
    const mail = renderNotificationMail(overdue, { language: 'en', timeZone: 'UTC' }, links, now);
    expect(mail.text).toContain('is 3 days late');
    expect(daysUntil(overdue.due!, { language: 'en', timeZone: 'UTC' }, now)).toBe(-3);
  });
});

describe('what a notification brings to its mail', () => {
  const notification = (kind: string, params: Record<string, unknown>): NotificationForMail => ({
    id: 'n1',
    kind,
    institution: 'ministry-of-justice',
    subjectKind: kind === 'reporting_deadline_reminder' ? 'reporting_deadline' : 'action',
    subjectId: 'd1',
    params,
  });
  const names = new Map([['ministry-of-justice', { en: 'Ministry of Justice', ar: 'وزارة العدل' }]]);

  it('a report returned for changes shows the reviewer’s reason, as written, in both parts', () => {
    const reason = 'Attach the attendance lists <signed>.';
    const returned = mailItemOf(
      notification('returned_for_changes', { title: 'Train judges', returnedBy: 'coordinator', reason }),
      'ar',
      names,
      'https://nmirf.example',
    ) as MailItem;
    const mail = renderNotificationMail(returned, { language: 'ar', timeZone: 'Asia/Amman' }, links, now);
    expect(mail.text).toContain(`السبب المذكور: ${reason}`);
    expect(mail.html).toContain('السبب المذكور: Attach the attendance lists &lt;signed&gt;.');
    // Without comments, no empty reason line.
    const bare = mailItemOf(
      notification('returned_for_changes', { title: 'Train judges', returnedBy: 'coordinator' }),
      'en',
      names,
      'https://nmirf.example',
    ) as MailItem;
    const plain = renderNotificationMail(bare, { language: 'en', timeZone: 'UTC' }, links, now);
    expect(plain.text).not.toContain('Reason given');
    // Only a returned report carries one.
    const other = mailItemOf(
      notification('validation_requested', { title: 'Train judges', reason: 'x' }),
      'en',
      names,
      'https://nmirf.example',
    );
    expect(other?.reason).toBeUndefined();
  });

  it('a reporting-deadline reminder is titled from the calendar’s catalogue in the reader’s language', () => {
    const params = {
      titleKey: 'tb_periodic_report.title',
      titleParams: { body: 'CEDAW', report: 9 },
      dueOn: '2026-07-01',
      offsetSeconds: 2_592_000,
    };
    const titleIn = (language: 'fr' | 'zh' | 'en') =>
      mailItemOf(notification('reporting_deadline_reminder', params), language, names, 'https://x')?.title;
    expect([titleIn('fr'), titleIn('zh'), titleIn('en')]).toEqual([
      'CEDAW : rapport périodique 9',
      'CEDAW：第9次定期报告',
      'CEDAW: periodic report 9',
    ]);
    const mail = renderNotificationMail(
      mailItemOf(notification('reporting_deadline_reminder', params), 'fr', names, 'https://x') as MailItem,
      { language: 'fr', timeZone: 'Europe/Paris' },
      links,
      now,
    );
    expect(mail.subject).toContain('CEDAW : rapport périodique 9');
    expect(mail.subject).not.toContain('tb_periodic_report');
    // A key from a newer calendar: never the raw key when the entry has a title of its own.
    const unknown = mailItemOf(
      notification('reporting_deadline_reminder', {
        ...params,
        titleKey: 'sp_visit.title',
        titleParams: { title: 'Visit' },
      }),
      'en',
      names,
      'https://x',
    );
    expect(unknown?.title).toBe('Visit');
  });
});

describe('a digest', () => {
  const reader = { language: 'en' as const, timeZone: 'UTC' };
  const items = [
    item({ title: 'B', due: { at: new Date('2026-03-20T10:00:00Z'), dateOnly: false } }),
    item({ title: 'No date', kind: 'validation_requested', due: null }),
    item({ title: 'A', kind: 'reminder', due: { at: new Date('2026-03-10T00:00:00Z'), dateOnly: true } }),
    item({ title: 'C', due: { at: new Date('2026-03-20T18:00:00Z'), dateOnly: false } }),
  ];

  it('groups by due date, soonest first, undated last', () => {
    expect(groupByDueDate(items, reader).map((group) => group.items.map((i) => i.title))).toEqual([
      ['A'],
      ['B', 'C'],
      ['No date'],
    ]);
  });

  it('tells the count and each group under its date', () => {
    const mail = renderDigestMail(items, reader, links, now);
    expect(mail.subject).toBe('NMIRF: 4 updates');
    expect(mail.text.indexOf('Due on March 10, 2026')).toBeLessThan(
      mail.text.indexOf('Due on March 20, 2026'),
    );
    expect(mail.text).toContain('No due date');
    expect(mail.html).toContain('<h3>Due on March 20, 2026</h3>');
  });

  it('refuses to render an empty digest', () => {
    expect(() => renderDigestMail([], reader, links, now)).toThrow('An empty digest is not sent');
  });
});

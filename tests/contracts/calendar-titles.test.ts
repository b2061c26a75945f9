// Notifications titles reporting-deadline mails from its own copy of the actions calendar's title
// catalogue: the copy must keep every title, word for word, in each of the six languages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const LANGUAGES = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
const root = join(__dirname, '..', '..');
const catalogue = (path: string): Record<string, string> =>
  JSON.parse(readFileSync(join(root, path), 'utf8'));

describe.each(LANGUAGES)('calendar titles in %s', (language) => {
  const calendar = catalogue(`services/actions/src/calendar/messages/${language}.json`);
  const mail = catalogue(`services/notifications/src/email/messages/${language}.json`);
  const titles = Object.keys(calendar).filter((key) => key.endsWith('.title'));

  it('has calendar titles to compare', () => {
    expect(titles.length).toBeGreaterThan(0);
  });

  it.each(titles)('the mail catalogue copies %s as it is', (key) => {
    expect(mail[`calendar.${key}`]).toBe(calendar[key]);
  });

  it('keeps no title the calendar no longer has', () => {
    const copied = Object.keys(mail).filter((key) => key.startsWith('calendar.'));
    expect(copied.map((key) => key.slice('calendar.'.length)).sort()).toEqual([...titles].sort());
  });
});

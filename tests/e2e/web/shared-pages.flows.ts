// The pages every role shares: home, the recommendation search with its facets, and the list behind a
// dashboard number, in English and Arabic, each with axe and a screenshot.
import type { Page } from 'playwright-core';
import { ORIGIN, type WebHarness } from './harness';

export function sharedPageFlows(web: WebHarness): void {
  it('shows home, search and the list behind a number in English and in Arabic, with no serious axe violation', async () => {
    const page = await web.signIn('coordinator');
    const counts: string[] = [];
    const visit = async (path: string, heading: string | RegExp, name: string, locale: 'en' | 'ar') => {
      await page.goto(`${ORIGIN}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      counts.push(`${name} (${locale}): ${await web.expectNoSeriousViolations(page, `${name} (${locale})`)}`);
      await web.screenshot(page, `shared-${name}-${locale}`);
    };
    const chooseLanguage = async (target: Page, label: string) =>
      target.getByRole('combobox', { name: /Language|اللغة/ }).selectOption({ label });

    await visit('/', 'Follow-up of human-rights recommendations', 'home', 'en');
    await visit('/recommendations?q=torture', 'Recommendations', 'search', 'en');
    await page.getByRole('complementary', { name: 'Narrow the results' }).waitFor();
    await visit('/dashboard/actions', 'Actions behind the number', 'list', 'en');

    await chooseLanguage(page, 'العربية');
    await page.locator('html[dir=rtl]').waitFor();
    await visit('/', /.+/, 'home', 'ar');
    await visit('/recommendations?q=torture', /.+/, 'search', 'ar');
    await visit('/dashboard/actions', /.+/, 'list', 'ar');
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await chooseLanguage(page, 'English');
    process.stdout.write(`axe, shared pages (none serious): ${counts.join('; ')}\n`);
    await page.context().close();
  });
}

// The public portal, without sign-in: published items only, in English and in Arabic.
import { demoToken, http, repoRoot, waitFor } from '@nmirf/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { WebHarness } from './harness';

const PUBLISHED = 'Establish an independent body to investigate complaints against the police';
const UNPUBLISHED = 'Withdraw the reservation to article 22 of the Convention against Torture';
const ASSESSMENT = 'No such body exists yet; complaints still go to the police itself.';

const MESSAGES = join(repoRoot, 'services/web/src/i18n/messages');
const catalogue = (locale: string): Record<string, string> => ({
  ...JSON.parse(readFileSync(join(MESSAGES, `${locale}.json`), 'utf8')),
  ...JSON.parse(readFileSync(join(MESSAGES, 'public', `${locale}.json`), 'utf8')),
});
const english = catalogue('en');
const arabic = catalogue('ar');
function text(messages: Record<string, string>, key: string): string {
  const found = messages[key];
  if (found === undefined) throw new Error(`No message ${key}`);
  return found;
}
const en = (key: string) => text(english, key);
const ar = (key: string) => text(arabic, key);
/** No token at all: what an anonymous reader gets. */
const ANONYMOUS = { authorization: '' };

/** The page's content, not its spinners: no request is still loading (the CSP forbids evaluating strings). */
async function loaded(page: Page): Promise<void> {
  await waitFor('the page to load', async () =>
    (await page.locator('main .MuiCircularProgress-root').count()) === 0 ? true : undefined,
  );
}

export function publicFlows(web: WebHarness): void {
  const state = {} as { published: string; unpublished: string };
  const violations: string[] = [];

  async function check(page: Page, name: string, locale: 'en' | 'ar'): Promise<void> {
    await loaded(page);
    const count = await web.expectNoSeriousViolations(page, `public ${name} (${locale})`);
    violations.push(`${name} (${locale}): ${count}`);
    await web.screenshot(page, `public-${name}-${locale}`);
  }

  async function recommendation(paragraph: string, words: string): Promise<string> {
    const created = await http('POST', `${web.stack.url('recommendations')}/recommendations`, {
      body: 'UPR',
      documentSymbol: 'A/HRC/43/15',
      paragraph,
      text: words,
      recommendingStates: ['Norway'],
      position: 'supported',
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  beforeAll(async () => {
    state.published = await recommendation('160.1', PUBLISHED);
    state.unpublished = await recommendation('160.2', UNPUBLISHED);
    const publication = await http(
      'PUT',
      `${web.stack.url('recommendations')}/recommendations/${state.published}/publication`,
      { published: true },
    );
    expect(publication.status).toBe(200);
    // The NHRI's assessment, published: the public reads it beside the government's view.
    const nhri = { authorization: `Bearer ${await demoToken('nhri')}` };
    const assessment = await waitFor('the assessment', async () => {
      const answer = await http(
        'POST',
        `${web.stack.url('actions')}/recommendations/${state.published}/assessments`,
        { status: 'not_started', narrative: ASSESSMENT },
        nhri,
      );
      if ([404, 422].includes(answer.status)) return undefined; // the recommendation has not reached actions yet
      expect(answer.status).toBe(201);
      return answer.body as { id: string };
    });
    const published = await http(
      'POST',
      `${web.stack.url('actions')}/assessments/${assessment.id}/publish`,
      undefined,
      nhri,
    );
    expect(published.status).toBe(200);
  });

  afterAll(() => {
    process.stdout.write(`axe, public portal: ${violations.join('; ')} (none serious)\n`);
  });

  it('lets anyone find and read a published recommendation with its assessment, and not an unpublished one', async () => {
    const page = await web.open('/');
    await page
      .getByRole('navigation', { name: en('nav.main') })
      .getByRole('link', { name: en('nav.portal') })
      .click();
    await page.getByRole('heading', { level: 1, name: en('portal.heading') }).waitFor();

    await page.getByRole('searchbox', { name: en('portal.query') }).fill('reservation to article 22');
    await page.getByRole('button', { name: en('portal.search'), exact: true }).click();
    await page.getByTestId('portal-total').and(page.locator('[data-count="0"]')).waitFor();

    await page
      .getByRole('searchbox', { name: en('portal.query') })
      .fill('independent body to investigate complaints');
    await page.getByRole('button', { name: en('portal.search'), exact: true }).click();
    const results = page.getByTestId('portal-results');
    await results.getByText(PUBLISHED).waitFor();
    await expect(results.getByText(UNPUBLISHED).count()).resolves.toBe(0);
    await check(page, 'search', 'en');

    await results.getByRole('link', { name: 'A/HRC/43/15, paragraph 160.1' }).click();
    await page.getByRole('heading', { level: 1, name: 'A/HRC/43/15, paragraph 160.1' }).waitFor();
    await page.getByText(PUBLISHED).waitFor();
    await page.getByRole('heading', { name: en('government.heading') }).waitFor();
    await page.getByTestId('assessments').getByText(ASSESSMENT).waitFor();
    await check(page, 'recommendation', 'en');

    // The unpublished one, even by its address, is not shown.
    await page.goto(`${page.url().replace(/\/public\/.*$/, '')}/public/recommendations/${state.unpublished}`);
    await page.getByTestId('not-published').waitFor();
    await expect(page.getByText(UNPUBLISHED).count()).resolves.toBe(0);
    await page.context().close();
  });

  it('shows the public dashboard with the counts the reporting service gives anonymous readers', async () => {
    const counts = () =>
      http(
        'GET',
        `${web.stack.url('reporting')}/dashboards/recommendations/counts?by=mechanism`,
        undefined,
        ANONYMOUS,
      );
    // The read model follows the events: wait until it counts the published recommendation.
    await waitFor('the public count of the published recommendation', async () => {
      const answer = await counts();
      return answer.status === 200 && answer.body.total.count >= 1 ? true : undefined;
    });
    const page = await web.open('/public/dashboard');
    await page.getByRole('heading', { level: 1, name: en('publicDashboard.heading') }).waitFor();
    const shown = await page.getByTestId('public-recommendations').getAttribute('data-count');
    expect(Number(shown)).toBe((await counts()).body.total.count);
    await page.getByTestId('public-actions').waitFor();
    await check(page, 'dashboard', 'en');
    await page.context().close();
  });

  it('reads right to left in Arabic', async () => {
    const page = await web.open('/public', { locale: 'ar-EG' });
    await page.getByRole('heading', { level: 1, name: ar('portal.heading') }).waitFor();
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await check(page, 'search', 'ar');
    await page.getByRole('link', { name: ar('portal.openDashboard') }).click();
    await page.getByRole('heading', { level: 1, name: ar('publicDashboard.heading') }).waitFor();
    await check(page, 'dashboard', 'ar');
    await page.goto(page.url().replace(/\/public\/dashboard$/, `/public/recommendations/${state.published}`));
    await page.getByRole('heading', { name: ar('government.heading') }).waitFor();
    await page.getByTestId('assessments').getByText(ASSESSMENT).waitFor();
    await check(page, 'recommendation', 'ar');
    await page.context().close();
  });
}

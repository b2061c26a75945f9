// The web application in a real browser (Debian's Chromium through playwright-core) against the real
// stack and the real Keycloak: a coordinator signs in on Keycloak's page and sees the dashboard's
// numbers as the API counts them, in English and in Arabic (right to left), with no serious axe
// violation; a focal point sees only their institution's tasks and reports progress on one.
import AxeBuilder from '@axe-core/playwright';
import { demoToken, http, repoRoot, Stack, testInfrastructure, waitFor } from '@nmirf/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createRecommendation } from './helpers';

jest.setTimeout(300_000);

/** The origin Keycloak's `nmirf-web` client accepts for the browser tests (infra/keycloak). */
const WEB_PORT = 3180;
const ORIGIN = `http://127.0.0.1:${WEB_PORT}`;
const SCREENSHOTS = join(repoRoot, 'tmp', 'screenshots');
const JUSTICE_TASK = 'Train judges on the Convention against Torture';
const INTERIOR_TASK = 'Publish police custody statistics';

describe('the web application', () => {
  let stack: Stack;
  let web: ChildProcess;
  let browser: Browser;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'web' });
    web = spawn(process.execPath, [join(repoRoot, 'services/web/server.mjs')], {
      env: {
        ...process.env,
        WEB_PORT: String(WEB_PORT),
        RECOMMENDATIONS_API_URL: stack.url('recommendations'),
        ACTIONS_API_URL: stack.url('actions'),
        NOTIFICATIONS_API_URL: stack.url('notifications'),
        REPORTING_API_URL: stack.url('reporting'),
        OIDC_ISSUER_URL: testInfrastructure.oidcIssuer,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitFor('the web server', async () => {
      const answer = await fetch(`${ORIGIN}/healthz`).catch(() => undefined);
      return answer?.ok || undefined;
    });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });

    const first = await createRecommendation(stack, '143.1');
    const second = await createRecommendation(stack, '143.2');
    await assign(first, JUSTICE_TASK, 'Ministry of Justice', 10);
    await assign(second, INTERIOR_TASK, 'Ministry of Interior', 20);
  });

  afterAll(async () => {
    await browser?.close();
    web?.kill('SIGTERM');
    await stack?.stop();
  });

  async function assign(recommendationId: string, title: string, institution: string, days: number) {
    await waitFor(`the action "${title}"`, async () => {
      const answer = await http('POST', `${stack.url('actions')}/actions`, {
        recommendationId,
        title,
        institution,
        dueDate: new Date(Date.now() + days * 86_400_000).toISOString(),
      });
      if (answer.status === 422) return undefined; // the recommendation has not reached actions yet
      expect(answer.status).toBe(201);
      return answer.body;
    });
  }

  /** Signs in through Keycloak's own page, as a person would, in a fresh browser context. */
  async function signIn(username: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/realms\/nmirf\/protocol\/openid-connect\/auth|login-actions/);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill('nmirf-demo');
    await page.locator('#kc-login').click();
    await page.waitForURL(`${ORIGIN}/`);
    await page.getByText(/^Signed in as /).waitFor();
    return page;
  }

  async function expectNoSeriousViolations(page: Page, name: string) {
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect({
      page: name,
      serious: serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`),
    }).toEqual({
      page: name,
      serious: [],
    });
    return result.violations.length;
  }

  it('shows the coordinator the dashboard numbers the API counts, in English and in Arabic', async () => {
    const token = await demoToken('coordinator');
    // The read model follows the events: wait until it counts both actions.
    const deadlines = await waitFor('the dashboard to count both actions', async () => {
      const answer = await http('GET', `${stack.url('reporting')}/dashboards/deadlines`, undefined, {
        authorization: `Bearer ${token}`,
      });
      return answer.body?.dueIn30Days?.count === 2 ? answer.body : undefined;
    });
    const byMinistry = await http(
      'GET',
      `${stack.url('reporting')}/dashboards/actions/counts?by=lead_institution`,
      undefined,
      { authorization: `Bearer ${token}` },
    );

    const page = await signIn('coordinator');
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Dashboard' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const due30 = page.getByTestId('due-30');
    await expect(due30.getAttribute('data-count')).resolves.toBe(String(deadlines.dueIn30Days.count));
    await expect(due30.innerText()).resolves.toBe('2 actions due within 30 days');
    await expect(page.getByTestId('overdue').getAttribute('data-count')).resolves.toBe(
      String(deadlines.overdue.count),
    );
    const table = page.getByTestId('by-ministry');
    for (const group of byMinistry.body.groups as { key: string; total: { count: number } }[]) {
      const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: group.key }) });
      await expect(row.getByRole('link').innerText()).resolves.toBe(String(group.total.count));
    }
    const englishViolations = await expectNoSeriousViolations(page, 'dashboard (en)');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-en.png'), fullPage: true });

    // Each number opens its list, asked with the query the API returned for it.
    await due30.click();
    await page.getByRole('heading', { level: 1, name: 'Actions behind the number' }).waitFor();
    await expect(page.getByTestId('list-total').getAttribute('data-count')).resolves.toBe('2');
    await expect(page.getByRole('link', { name: JUSTICE_TASK }).count()).resolves.toBe(1);
    await page.goBack();
    await page.getByTestId('due-30').waitFor();

    await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'العربية' });
    await page.getByRole('heading', { level: 1, name: 'لوحة المتابعة' }).waitFor();
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('ar');
    await expect(page.getByRole('link', { name: 'التوصيات' }).count()).resolves.toBe(1);
    // The Arabic plural: two is the dual form ("إجراءان"), not the plural of 3 to 10.
    await expect(page.getByTestId('due-30').innerText()).resolves.toBe('إجراءان مستحقان خلال 30 يومًا');
    const arabicViolations = await expectNoSeriousViolations(page, 'dashboard (ar)');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard-ar.png'), fullPage: true });
    // The choice is remembered.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'لوحة المتابعة' }).waitFor();
    process.stdout.write(
      `axe, dashboard: ${englishViolations} violations in English, ${arabicViolations} in Arabic (none serious)\n`,
    );
    await page.context().close();
  });

  it('shows a focal point only their institution’s tasks, and takes their progress report', async () => {
    const page = await signIn('focal.justice');
    await expect(
      page
        .getByRole('navigation', { name: 'Main navigation' })
        .getByRole('link', { name: 'Dashboard' })
        .count(),
    ).resolves.toBe(0);
    await page.getByRole('link', { name: 'My tasks' }).first().click();
    const tasks = page.getByTestId('tasks');
    await tasks.waitFor();
    await expect(tasks.getByRole('link', { name: JUSTICE_TASK }).count()).resolves.toBe(1);
    await expect(tasks.getByText(INTERIOR_TASK).count()).resolves.toBe(0);
    await expect(tasks.locator('tbody tr').count()).resolves.toBe(1);
    await expectNoSeriousViolations(page, 'tasks (en)');
    await page.screenshot({ path: join(SCREENSHOTS, 'tasks-en.png'), fullPage: true });

    await tasks.getByRole('link', { name: JUSTICE_TASK }).click();
    await page.getByRole('heading', { level: 1, name: JUSTICE_TASK }).waitFor();
    await page.getByRole('button', { name: 'Acknowledge the task' }).click();
    await page.getByRole('button', { name: 'Start the work' }).click();
    await page.getByRole('heading', { name: 'Report progress' }).waitFor();
    // An empty form is refused in the browser, with each message tied to its field.
    await page.getByRole('button', { name: 'Submit the report' }).click();
    await expect(
      page.getByRole('textbox', { name: 'What was done' }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await page
      .getByRole('textbox', { name: 'What was done' })
      .fill('Two training sessions held for 40 judges.');
    await page.getByRole('spinbutton', { name: 'Progress (per cent)' }).fill('40');
    await page.getByRole('button', { name: 'Submit the report' }).click();
    await page.getByText('The report was submitted for validation.').waitFor();
    await page.getByText('40% — Submitted').waitFor();
    await expectNoSeriousViolations(page, 'task (en)');
    await page.screenshot({ path: join(SCREENSHOTS, 'task-en.png'), fullPage: true });
    await page.context().close();

    // The interior ministry's focal point sees the other task and not this one.
    const other = await signIn('focal.interior');
    await other.goto(`${ORIGIN}/tasks`);
    const theirs = other.getByTestId('tasks');
    await theirs.waitFor();
    await expect(theirs.getByRole('link', { name: INTERIOR_TASK }).count()).resolves.toBe(1);
    await expect(theirs.getByText(JUSTICE_TASK).count()).resolves.toBe(0);
    await other.context().close();
  });
});

// Focal points (also in Arabic and offline), validators, NHRIs and civil society, in a real browser
// against the real stack: each flow checks what the page did against the API.
import { demoToken, http, repoRoot, waitFor, type DemoUser } from '@nmirf/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createRecommendation } from '../helpers';
import { ORIGIN, type WebHarness } from './harness';

const MINISTRY = 'Ministry of Justice';
const SECRETARIAT = 'NMIRF Secretariat';
const TASK_EN = 'Open a hotline for victims of torture';
const TASK_AR = 'Translate the Convention into Arabic';
const TASK_OFFLINE = 'Inspect places of detention';
const INDICATOR = 'Calls answered by the hotline';
const HOTLINE_LOG = 'Hotline launch: 1 November 2026, 120 calls in the first week.\n';

const MESSAGES = join(repoRoot, 'services/web/src/i18n/messages');
const catalogue = (locale: string): Record<string, string> => ({
  ...JSON.parse(readFileSync(join(MESSAGES, `${locale}.json`), 'utf8')),
  ...JSON.parse(readFileSync(join(MESSAGES, 'participants', `${locale}.json`), 'utf8')),
  ...JSON.parse(readFileSync(join(MESSAGES, 'public', `${locale}.json`), 'utf8')),
});
const english = catalogue('en');
const arabic = catalogue('ar');
/** A catalogue's text, or a failure naming the key: the flows read the pages' words from the catalogues. */
function text(messages: Record<string, string>, key: string): string {
  const found = messages[key];
  if (found === undefined) throw new Error(`No message ${key}`);
  return found;
}
const en = (key: string) => text(english, key);
const ar = (key: string) => text(arabic, key);

/** The page's content, not its spinners: no request is still loading (the CSP forbids evaluating strings). */
async function loaded(page: Page): Promise<void> {
  await waitFor('the page to load', async () =>
    (await page.locator('main .MuiCircularProgress-root').count()) === 0 ? true : undefined,
  );
}

interface Report {
  id: string;
  status: string;
  narrative: string;
  percentage: number;
  version: number;
  files: { name: string }[];
}

export function participantFlows(web: WebHarness): void {
  const state = {} as {
    recommendationId: string;
    english: string;
    arabic: string;
    offline: string;
    indicator: string;
  };
  const violations: string[] = [];

  async function as(user: DemoUser) {
    return { authorization: `Bearer ${await demoToken(user)}` };
  }

  async function firstReport(actionId: string): Promise<Report> {
    const [report] = await reportsOf(actionId);
    if (!report) throw new Error(`No report on ${actionId}`);
    return report;
  }

  async function reportsOf(actionId: string): Promise<Report[]> {
    const answer = await http(
      'GET',
      `${web.stack.url('actions')}/actions/${actionId}/progress-reports`,
      undefined,
      await as('coordinator'),
    );
    expect(answer.status).toBe(200);
    return answer.body.items as Report[];
  }

  /** axe (no serious violation) and a screenshot, once the page's requests have answered. */
  async function check(page: Page, name: string, locale: 'en' | 'ar'): Promise<void> {
    await loaded(page);
    const count = await web.expectNoSeriousViolations(page, `${name} (${locale})`);
    violations.push(`${name} (${locale}): ${count}`);
    await web.screenshot(page, `participants-${name}-${locale}`);
  }

  async function toArabic(page: Page): Promise<void> {
    await page.getByRole('combobox', { name: en('language.label') }).selectOption({ label: 'العربية' });
    await page.locator('html[dir=rtl]').waitFor();
  }

  async function createAction(recommendationId: string, title: string, days: number): Promise<string> {
    const action = await waitFor(`the action "${title}"`, async () => {
      const answer = await http('POST', `${web.stack.url('actions')}/actions`, {
        recommendationId,
        title,
        institution: MINISTRY,
        dueDate: new Date(Date.now() + days * 86_400_000).toISOString(),
      });
      if (answer.status === 422) return undefined; // the recommendation has not reached actions yet
      expect(answer.status).toBe(201);
      return answer.body as { id: string };
    });
    return action.id;
  }

  beforeAll(async () => {
    const recommendationId = await createRecommendation(web.stack, '150.1');
    state.recommendationId = recommendationId;
    state.english = await createAction(recommendationId, TASK_EN, 12);
    state.arabic = await createAction(recommendationId, TASK_AR, 14);
    state.offline = await createAction(recommendationId, TASK_OFFLINE, 16);
    const indicator = await http('POST', `${web.stack.url('actions')}/actions/${state.english}/indicators`, {
      name: INDICATOR,
      type: 'process',
      unit: 'calls',
      baseline: { value: 0, date: '2026-01-01' },
      target: { value: 500, date: '2027-12-31' },
      frequency: 'quarterly',
      dataSource: 'Hotline call log',
    });
    expect(indicator.status).toBe(201);
    state.indicator = indicator.body.id;
  });

  afterAll(() => {
    process.stdout.write(`axe, participants' pages: ${violations.join('; ')} (none serious)\n`);
  });

  it('a focal point acknowledges, reports progress with a file and a measurement, comments, reads the inbox and sets mail preferences', async () => {
    const page = await web.signIn('focal.justice');
    await page
      .getByRole('link', { name: en('nav.tasks') })
      .first()
      .click();
    await page.getByTestId('tasks').getByRole('link', { name: TASK_EN }).click();
    await page.getByRole('heading', { level: 1, name: TASK_EN }).waitFor();
    await page.getByRole('button', { name: en('task.acknowledge') }).click();
    await page.getByRole('button', { name: en('task.start') }).click();
    await page.getByRole('heading', { name: en('report.heading') }).waitFor();

    // A measurement that is not a number is refused in the browser, the message tied to its field.
    const measurement = page.getByRole('spinbutton', { name: `${INDICATOR} (calls)` });
    await page
      .getByRole('textbox', { name: en('report.narrative') })
      .fill('The hotline opened on 1 November.');
    await page.getByRole('spinbutton', { name: en('report.percentage') }).fill('30');
    await measurement.fill('120');
    await page.getByLabel(en('evidence.label')).setInputFiles({
      name: 'hotline-launch.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(HOTLINE_LOG),
    });
    await page.getByRole('button', { name: en('report.submit') }).click();
    await page.getByText(en('report.sent')).waitFor();
    await page.getByText('Evidence: hotline-launch.txt', { exact: false }).waitFor();

    const report = await firstReport(state.english);
    expect(report).toMatchObject({
      status: 'submitted',
      percentage: 30,
      narrative: 'The hotline opened on 1 November.',
    });
    expect(report.files.map((file) => file.name)).toEqual(['hotline-launch.txt']);
    const indicator = await http('GET', `${web.stack.url('actions')}/indicators/${state.indicator}`);
    expect(indicator.body.measurements).toEqual([
      expect.objectContaining({ value: 120, progressReportId: report.id }),
    ]);

    // The comment thread, below the form.
    await page.getByRole('textbox', { name: en('comments.new') }).fill('The validator has the call log.');
    await page.getByRole('button', { name: en('comments.post') }).click();
    await page.getByText('The validator has the call log.').waitFor();
    await page.getByRole('heading', { name: en('indicators.heading') }).waitFor();
    await check(page, 'task', 'en');

    // The inbox: the assignment of the task, in words, linking to it.
    await page.getByRole('link', { name: en('nav.inbox') }).click();
    await page.getByRole('heading', { level: 1, name: en('inbox.heading') }).waitFor();
    const assigned = page
      .getByTestId('inbox')
      .getByRole('link', { name: new RegExp(`^New task: ${TASK_EN}, due `) });
    // The notifications service learns of the assignment through Kafka: reload until it is there.
    await waitFor(
      'the assignment in the inbox',
      async () => {
        if ((await assigned.count()) > 0) return true;
        await page.reload();
        await page.getByRole('heading', { level: 1, name: en('inbox.heading') }).waitFor();
        await loaded(page);
        return undefined;
      },
      { intervalMs: 1000 },
    );
    const unreadBefore = Number(await page.getByTestId('inbox-unread').getAttribute('data-count'));
    await page.getByRole('button', { name: new RegExp(`^Mark as read: New task: ${TASK_EN}`) }).click();
    await page
      .getByTestId('inbox-unread')
      .and(page.locator(`[data-count="${unreadBefore - 1}"]`))
      .waitFor();
    await check(page, 'inbox', 'en');

    // Mail preferences: reminders in the weekly digest; overdue notices cannot be turned off.
    await page.getByRole('link', { name: en('nav.preferences') }).click();
    const reminders = page.getByRole('combobox', { name: en('preferences.kind.reminder') });
    await reminders.selectOption('weekly');
    await expect(
      page
        .getByRole('combobox', { name: en('preferences.kind.overdue') })
        .locator('option[value=off]')
        .count(),
    ).resolves.toBe(0);
    await page.getByRole('button', { name: en('preferences.save') }).click();
    await page.getByText(en('preferences.saved')).waitFor();
    const saved = await http(
      'GET',
      `${web.stack.url('notifications')}/me/mail-preferences`,
      undefined,
      await as('focal.justice'),
    );
    expect(saved.body.preferences).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'reminder', cadence: 'weekly' })]),
    );
    await check(page, 'preferences', 'en');

    // The same pages in Arabic, right to left.
    await toArabic(page);
    await page.getByRole('heading', { level: 1, name: ar('preferences.heading') }).waitFor();
    await check(page, 'preferences', 'ar');
    await page.getByRole('link', { name: ar('nav.inbox') }).click();
    await page.getByRole('heading', { level: 1, name: ar('inbox.heading') }).waitFor();
    await check(page, 'inbox', 'ar');
    await page.context().close();
  });

  it('the validator approves the report from the queue, and a return needs a reason', async () => {
    const page = await web.signIn('validator.justice');
    await page
      .getByRole('navigation', { name: en('nav.main') })
      .getByRole('link', { name: en('nav.validation') })
      .click();
    await page.getByRole('heading', { level: 1, name: en('validation.heading') }).waitFor();
    const card = page.getByRole('article', { name: TASK_EN });
    await card.waitFor();
    await expect(card.getByText('The hotline opened on 1 November.').count()).resolves.toBe(1);
    await check(page, 'validation', 'en');

    // Returning without saying why is refused in the browser, the message tied to the field.
    await card.getByRole('button', { name: en('validation.return') }).click();
    await card.getByRole('button', { name: en('validation.sendBack') }).click();
    await expect(
      card.getByRole('textbox', { name: en('validation.reason') }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await card.getByRole('button', { name: en('validation.return') }).click();

    // The evidence file, downloaded with the validator's token, is the one the focal point attached.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('button', { name: 'Download hotline-launch.txt' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('hotline-launch.txt');
    expect(readFileSync(await download.path(), 'utf8')).toBe(HOTLINE_LOG);

    await card.getByRole('button', { name: en('validation.approve') }).click();
    await page.getByRole('article', { name: TASK_EN }).waitFor({ state: 'detached' });
    const report = await firstReport(state.english);
    expect(report.status).toBe('approved_by_validator');

    await toArabic(page);
    await page.getByRole('heading', { level: 1, name: ar('validation.heading') }).waitFor();
    await check(page, 'validation', 'ar');
    await page.context().close();
  });

  it('the coordinator finds the approved report in the inbox and sets mail preferences from the menu', async () => {
    // The validator's approval asks the coordinator to review: the secretariat's inbox has it.
    const secretariat = `${web.stack.url('notifications')}/institutions/${encodeURIComponent(SECRETARIAT)}/inbox?limit=100`;
    let seen = '';
    await waitFor('the approval in the secretariat’s inbox', async () => {
      const answer = await http('GET', secretariat, undefined, await as('coordinator'));
      const items = (answer.body?.items ?? []) as { kind: string; actionId: string | null; params: object }[];
      seen = `${answer.status}, ${items.length} of ${answer.body?.total}: ${items
        .slice(0, 5)
        .map((item) => `${item.kind} ${item.actionId} ${JSON.stringify(item.params)}`)
        .join('; ')}`;
      return items.some((item) => item.kind === 'validation_requested' && item.actionId === state.english)
        ? true
        : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; the inbox had ${seen}`);
    });
    const page = await web.signIn('coordinator');
    const menu = page.getByRole('navigation', { name: en('nav.main') });
    await menu.getByRole('link', { name: en('nav.inbox') }).click();
    await page.getByRole('heading', { level: 1, name: en('inbox.heading') }).waitFor();
    const awaiting = page
      .getByTestId('inbox')
      .getByRole('link', { name: new RegExp(`^A progress report on ${TASK_EN} \\(`) });
    await waitFor(
      'the report awaiting review in the coordinator’s inbox',
      async () => {
        if ((await awaiting.count()) > 0) return true;
        await page.reload();
        await page.getByRole('heading', { level: 1, name: en('inbox.heading') }).waitFor();
        await loaded(page);
        return undefined;
      },
      { intervalMs: 1000 },
    );
    await check(page, 'inbox-coordinator', 'en');

    // Preferences: reviews in the daily digest, then back as they were, through the page both times.
    const before = await http(
      'GET',
      `${web.stack.url('notifications')}/me/mail-preferences`,
      undefined,
      await as('coordinator'),
    );
    const cadence = (before.body.preferences as { kind: string; cadence: string }[]).find(
      (preference) => preference.kind === 'validation_requested',
    )?.cadence;
    expect(cadence).toBeDefined();
    const chosen = cadence === 'daily' ? 'weekly' : 'daily';
    await menu.getByRole('link', { name: en('nav.preferences') }).click();
    const reviews = page.getByRole('combobox', { name: en('preferences.kind.validation_requested') });
    const save = async (value: string) => {
      await reviews.selectOption(value);
      await page.getByRole('button', { name: en('preferences.save') }).click();
      await page.getByText(en('preferences.saved')).waitFor();
      // The message may still be the previous save's: the API says when this one has landed.
      await waitFor(`validation_requested ${value}`, async () => {
        const saved = await http(
          'GET',
          `${web.stack.url('notifications')}/me/mail-preferences`,
          undefined,
          await as('coordinator'),
        );
        const preferences = saved.body.preferences as { kind: string; cadence: string }[];
        return preferences.some((p) => p.kind === 'validation_requested' && p.cadence === value)
          ? true
          : undefined;
      });
    };
    await save(chosen);
    await check(page, 'preferences-coordinator', 'en');
    await save(cadence as string);
    await page.context().close();
  });

  it('Keycloak’s sign-in page speaks the language the reader chose, Chinese as zh-CN', async () => {
    for (const [locale, tag, direction] of [
      ['ar', 'ar', 'rtl'],
      ['zh-CN', 'zh-CN', 'ltr'],
    ] as const) {
      // The browser's language is the application's first choice; the sign-in redirect passes it on.
      const page = await web.open('/', { locale });
      const signIn = text(catalogue(locale.slice(0, 2)), 'auth.signIn');
      await page.getByRole('button', { name: signIn }).click();
      await page.waitForURL(/\/realms\/nmirf\/protocol\/openid-connect\/auth|login-actions/);
      await page.locator('#username').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe(tag);
      if (direction === 'rtl') expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      await page.context().close();
    }
  });

  it('the same focal-point flow in Arabic, right to left', async () => {
    const page = await web.signIn('focal.justice');
    await toArabic(page);
    await page.goto(`${ORIGIN}/tasks`);
    await page.getByRole('heading', { level: 1, name: ar('tasks.heading') }).waitFor();
    await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await check(page, 'tasks', 'ar');
    await page.getByTestId('tasks').getByRole('link', { name: TASK_AR }).click();
    await page.getByRole('heading', { level: 1, name: TASK_AR }).waitFor();
    await page.getByRole('button', { name: ar('task.acknowledge') }).click();
    await page.getByRole('button', { name: ar('task.start') }).click();
    await page.getByRole('heading', { name: ar('report.heading') }).waitFor();
    await page.getByRole('button', { name: ar('report.submit') }).click();
    await expect(
      page.getByRole('textbox', { name: ar('report.narrative') }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await page.getByText(ar('report.narrativeRequired')).waitFor();
    await page
      .getByRole('textbox', { name: ar('report.narrative') })
      .fill('تُرجمت الاتفاقية وأُرسلت إلى المحاكم.');
    await page.getByRole('spinbutton', { name: ar('report.percentage') }).fill('60');
    await page.getByLabel(ar('evidence.label')).setInputFiles({
      name: 'ترجمة-الاتفاقية.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('الترجمة العربية للاتفاقية\n'),
    });
    await page.getByRole('button', { name: ar('report.submit') }).click();
    await page.getByText(ar('report.sent')).waitFor();
    // Arabic-Indic digits: 60 reads ٦٠.
    await page.getByText('٦٠٪', { exact: false }).first().waitFor();
    await check(page, 'task', 'ar');
    const report = await firstReport(state.arabic);
    expect(report).toMatchObject({ status: 'submitted', percentage: 60 });
    expect(report.files.map((file) => file.name)).toEqual(['ترجمة-الاتفاقية.txt']);
    await page.context().close();
  });

  it('offline, the task pages still open and a report waits on the device until the browser is back online', async () => {
    const page = await web.signIn('focal.justice');
    await page.goto(`${ORIGIN}/tasks`);
    await page.getByTestId('tasks').waitFor();
    // The service worker installs from the task list and takes the page over.
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await waitFor('the service worker to take the page over', async () =>
      (await page.evaluate('navigator.serviceWorker.controller !== null')) ? true : undefined,
    );
    await check(page, 'tasks', 'en');
    await page.getByTestId('tasks').getByRole('link', { name: TASK_OFFLINE }).click();
    await page.getByRole('heading', { level: 1, name: TASK_OFFLINE }).waitFor();
    await page.getByRole('button', { name: en('task.acknowledge') }).click();
    await page.getByRole('button', { name: en('task.start') }).click();
    await page.getByRole('heading', { name: en('report.heading') }).waitFor();
    await page.getByRole('heading', { name: en('comments.heading') }).waitFor();

    const context = page.context();
    await context.setOffline(true);
    // A reload without a network: the shell and the task come from the worker's caches.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: TASK_OFFLINE }).waitFor();
    await page.getByText(en('offline.notice')).waitFor();
    const narrative = 'Three prisons inspected; reports drafted offline.';
    await page.getByRole('textbox', { name: en('report.narrative') }).fill(narrative);
    await page.getByRole('spinbutton', { name: en('report.percentage') }).fill('25');
    await page.getByRole('button', { name: en('report.submit') }).click();
    await page.getByText(en('offline.reportQueued')).waitFor();
    const pending = page.getByTestId('pending-reports');
    await pending.getByRole('heading', { name: '1 report waits to be sent' }).waitFor();
    await pending.getByText(narrative).waitFor();
    await check(page, 'offline', 'en');
    expect((await reportsOf(state.offline)).map((report) => report.narrative)).not.toContain(narrative);

    await context.setOffline(false);
    await pending.waitFor({ state: 'detached' });
    const arrived = await waitFor('the queued report in the API', async () =>
      (await reportsOf(state.offline)).find((report) => report.narrative === narrative),
    );
    expect(arrived).toMatchObject({ status: 'submitted', percentage: 25 });
    // And the page lists it among the reports once it has gone.
    await page.getByText('25% — Submitted').waitFor();
    await context.close();
  });

  it('shows the task list on a slow connection: time to first render, cold and with the worker', async () => {
    const page = await web.signIn('focal.justice');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 400,
      downloadThroughput: (400 * 1000) / 8,
      uploadThroughput: (400 * 1000) / 8,
    });
    const firstRender = async () => {
      const started = Date.now();
      await page.goto(`${ORIGIN}/tasks`);
      await page.getByTestId('tasks').waitFor({ timeout: 120_000 });
      return Date.now() - started;
    };
    await cdp.send('Network.setBypassServiceWorker', { bypass: true });
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const cold = await firstRender();
    await cdp.send('Network.setBypassServiceWorker', { bypass: false });
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    // The task list registered the worker; once it has stored the shell, the next visit reads from it.
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    const warm = await firstRender();
    process.stdout.write(
      `task list, first render at 400 kbit/s and 400 ms RTT (signed in): ${(cold / 1000).toFixed(1)} s cold, ` +
        `${(warm / 1000).toFixed(1)} s with the service worker's cache\n`,
    );
    await page.context().close();
  });

  it('an NHRI assesses a recommendation beside the government view, and publishes the assessment', async () => {
    const page = await web.signIn('nhri');
    await page
      .getByRole('navigation', { name: en('nav.main') })
      .getByRole('link', { name: en('nav.assessments') })
      .click();
    await page.getByRole('heading', { level: 1, name: en('assess.heading') }).waitFor();
    await check(page, 'assessments', 'en');
    await page.goto(`${ORIGIN}/assessments/${state.recommendationId}`);
    await page.getByRole('heading', { name: en('government.heading') }).waitFor();
    await page.getByRole('heading', { name: en('assessmentForm.heading') }).waitFor();
    await page.getByRole('button', { name: en('assessmentForm.save') }).click();
    await expect(
      page.getByRole('combobox', { name: en('assessmentForm.status') }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await page.getByRole('combobox', { name: en('assessmentForm.status') }).selectOption('in_progress');
    await page
      .getByRole('textbox', { name: en('assessmentForm.narrative') })
      .fill('The hotline exists, but victims in prisons cannot reach it.');
    await page
      .getByRole('textbox', { name: en('assessmentForm.link') })
      .fill('https://www.varuh-rs.si/en/annual-report-2025');
    await page.getByRole('button', { name: en('assessmentForm.save') }).click();
    await page.getByText(en('assessmentForm.saved')).waitFor();
    const entry = page
      .getByTestId('assessments')
      .getByRole('listitem')
      .filter({ hasText: 'victims in prisons' });
    await entry.getByText(en('assessments.draft')).waitFor();
    await entry.getByRole('button', { name: en('assessments.publish') }).click();
    await entry.getByRole('button', { name: en('assessments.unpublish') }).waitFor();
    const published = await http(
      'GET',
      `${web.stack.url('actions')}/recommendations/${state.recommendationId}/assessments`,
      undefined,
      {
        authorization: '',
      },
    );
    expect(published.body.items).toEqual([
      expect.objectContaining({ status: 'in_progress', published: true, authorKind: 'nhri' }),
    ]);
    await check(page, 'assessment', 'en');
    await toArabic(page);
    await page.getByRole('heading', { name: ar('government.heading') }).waitFor();
    await check(page, 'assessment', 'ar');
    await page.goto(`${ORIGIN}/assessments`);
    await page.getByRole('heading', { level: 1, name: ar('assess.heading') }).waitFor();
    await check(page, 'assessments', 'ar');
    await page.context().close();
  });
}

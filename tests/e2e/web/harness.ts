// One stack, one web server and one Chromium for every browser test: the flows of each area
// (web/*.flows.ts) run against it in turn, so the suite starts the services once.
import AxeBuilder from '@axe-core/playwright';
import { repoRoot, Stack, testInfrastructure, waitFor } from '@nmirf/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The origin Keycloak's `nmirf-web` client accepts for the browser tests (infra/keycloak). */
const WEB_PORT = 3180;
export const ORIGIN = `http://127.0.0.1:${WEB_PORT}`;
export const SCREENSHOTS = join(repoRoot, 'tmp', 'screenshots');
/** Every demo user's password in the test realm (infra/keycloak). */
const DEMO_PASSWORD = 'nmirf-demo';

export class WebHarness {
  stack!: Stack;
  browser!: Browser;
  private web?: ChildProcess;

  async start(): Promise<void> {
    this.stack = await Stack.start({ name: 'web' });
    this.web = spawn(process.execPath, [join(repoRoot, 'services/web/server.mjs')], {
      env: {
        ...process.env,
        WEB_PORT: String(WEB_PORT),
        RECOMMENDATIONS_API_URL: this.stack.url('recommendations'),
        ACTIONS_API_URL: this.stack.url('actions'),
        NOTIFICATIONS_API_URL: this.stack.url('notifications'),
        REPORTING_API_URL: this.stack.url('reporting'),
        OIDC_ISSUER_URL: testInfrastructure.oidcIssuer,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await waitFor('the web server', async () => {
      const answer = await fetch(`${ORIGIN}/healthz`).catch(() => undefined);
      return answer?.ok || undefined;
    });
    this.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    this.web?.kill('SIGTERM');
    await this.stack?.stop();
  }

  /** A fresh browser context on the home page, signed out. */
  async open(path = '/', options: { locale?: string } = {}): Promise<Page> {
    const context = await this.browser.newContext({
      locale: options.locale ?? 'en-GB',
      viewport: { width: 1280, height: 900 },
    });
    // A hang guard, not a timing: at load 25 on two cores, Keycloak took over 30 s to answer a sign-in.
    context.setDefaultTimeout(120_000);
    const page = await context.newPage();
    await page.goto(`${ORIGIN}${path}`);
    return page;
  }

  /** Signs in through Keycloak's own page, as a person would, in a fresh browser context. */
  async signIn(username: string): Promise<Page> {
    const page = await this.open('/');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/realms\/nmirf\/protocol\/openid-connect\/auth|login-actions/);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.locator('#kc-login').click();
    await page.waitForURL(`${ORIGIN}/`);
    await page.getByText(/^Signed in as /).waitFor();
    return page;
  }

  /** Fails on any serious or critical axe violation (WCAG 2.2 AA tags); returns the count of all. */
  async expectNoSeriousViolations(page: Page, name: string): Promise<number> {
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
      .analyze();
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect({
      page: name,
      serious: serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`),
    }).toEqual({ page: name, serious: [] });
    return result.violations.length;
  }

  /** A full-page screenshot under tmp/screenshots/, for people to look at. */
  async screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

// The coordinator: imports with progress, planning for two ministries, review, reports compiled and downloaded.
import { demoToken, http, repoRoot, waitFor, type DemoUser } from '@nmirf/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ORIGIN, type WebHarness } from './harness';

const MATRIX = join(repoRoot, 'infra', 'seed', 'slovenia', 'slovenia-upr34-cycle3-A_HRC_43_15.docx');
/** Recommendations in Slovenia's cycle-3 matrix (../shared/data/README.md). */
const MATRIX_RECOMMENDATIONS = 215;
const ACTION = 'Train border police on individual assessment of non-refoulement';
const NARRATIVE = 'Two training sessions held for 60 border police officers.';

/** The coordinator's pages, each with its heading in English and in Arabic. */
const PAGES = [
  { path: '/imports', name: 'imports', en: 'Imports', ar: 'الاستيراد' },
  { path: '/planning', name: 'planning', en: 'Plans and actions', ar: 'الخطط والإجراءات' },
  { path: '/review', name: 'review', en: 'Review queue', ar: 'قائمة المراجعة' },
  { path: '/reports', name: 'reports', en: 'Reports', ar: 'التقارير' },
  { path: '/directory', name: 'directory', en: 'Institution directory', ar: 'دليل المؤسسات' },
  { path: '/clusters', name: 'clusters', en: 'Clusters', ar: 'مجموعات التوصيات' },
  { path: '/calendar', name: 'calendar', en: 'Reporting calendar', ar: 'تقويم التقارير' },
  { path: '/audit', name: 'audit', en: 'Audit trail', ar: 'سجل التدقيق' },
];
/** Pages the flows above do not already check in English. */
const ONLY_VISITED = new Set(['clusters', 'calendar']);

export function coordinatorFlows(web: WebHarness): void {
  const state: { recommendationId?: string; actionId?: string } = {};
  const violations: string[] = [];

  async function check(page: Page, name: string): Promise<void> {
    // The page's content, not its spinners: no request is still loading.
    await page.locator('main [role=status] .MuiCircularProgress-root').first().waitFor({ state: 'detached' });
    // No request of the page failed (a failure shows as an error alert, which axe would not mind).
    await expect(page.locator('main .MuiAlert-colorError').allInnerTexts()).resolves.toEqual([]);
    const count = await web.expectNoSeriousViolations(page, name);
    violations.push(`${name}: ${count}`);
    await web.screenshot(page, `coordinator-${name.replace(/ \((\w+)\)$/, '-$1')}`);
  }

  async function as(user: DemoUser) {
    return { authorization: `Bearer ${await demoToken(user)}` };
  }

  /** A workflow step through the API, as the given person, on the version last read. */
  async function step(path: string, user: DemoUser, version: number, body?: unknown) {
    const answer = await http('POST', `${web.stack.url('actions')}${path}`, body, {
      ...(await as(user)),
      'if-match': `"${version}"`,
    });
    if (answer.status !== 200 && answer.status !== 201)
      throw new Error(`${path} as ${user}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as { id: string; version: number };
  }

  afterAll(() => {
    process.stdout.write(`axe, coordinator pages (none serious): ${violations.join('; ')}\n`);
  });

  it('imports the Slovenian matrix watching the bar, and plans an action for two ministries', async () => {
    const page = await web.signIn('coordinator');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Imports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Imports' }).waitFor();
    await check(page, 'imports (en)');

    // The form refuses to send nothing, and says so at the field.
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.getByText('Choose the file to import.').waitFor();
    await expect(page.locator('#import-file').getAttribute('aria-invalid')).resolves.toBe('true');

    // A preview first: nothing is applied.
    await page.locator('#import-file').setInputFiles(MATRIX);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await page.locator('[data-testid=import-status][data-status=previewed]').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Apply this preview' }).waitFor();

    // Then applied, recording every value the applying import's bar takes until it and its linking are done.
    const preview = await page.getByTestId('import-progress').getAttribute('data-import');
    // Runs in the page (a string: the tests compile without the DOM's types).
    await page.evaluate(`(() => {
      const seen = [];
      window.progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid=import-progress]');
        if (!bar || bar.getAttribute('data-import') === ${JSON.stringify(preview)}) return;
        const value = Number(bar.getAttribute('aria-valuenow'));
        if (seen[seen.length - 1] !== value) seen.push(value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    })()`);
    await page.getByRole('button', { name: 'Apply this preview' }).click();
    await page.locator('[data-testid=import-status][data-status=applied]').waitFor({ timeout: 120_000 });
    await page.locator('[data-testid=import-progress][aria-valuenow="100"]').waitFor({ timeout: 120_000 });
    const seen = (await page.evaluate('window.progressSeen')) as number[];
    process.stdout.write(`import progress bar values: ${seen.join(' → ')}\n`);
    expect(seen[seen.length - 1]).toBe(100);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    // The page shows what the API says of the import.
    const listed = await http(
      'GET',
      `${web.stack.url('recommendations')}/imports?limit=1`,
      undefined,
      await as('coordinator'),
    );
    const applied = listed.body.items[0];
    expect(applied).toMatchObject({ status: 'applied', rejected: 0 });
    expect(applied.created + applied.updated + applied.unchanged).toBe(MATRIX_RECOMMENDATIONS);
    await expect(page.getByTestId('import-status').innerText()).resolves.toContain(
      `${applied.created} new, ${applied.updated} updated, ${applied.unchanged} unchanged, 0 rejected`,
    );
    await page.getByRole('heading', { name: 'Row report' }).waitFor();
    // The history shows the apply as applied, the preview as previewed.
    const history = page.getByRole('region', { name: 'Recent imports' }).getByRole('row');
    await history.nth(1).getByRole('cell', { name: 'Applied', exact: true }).waitFor();
    await history.nth(2).getByRole('cell', { name: 'Previewed, nothing applied', exact: true }).waitFor();
    await check(page, 'imports-progress (en)');

    // Find a recommendation of the matrix.
    await nav.getByRole('link', { name: 'Recommendations' }).click();
    await page
      .getByRole('textbox', { name: 'Search the text' })
      .fill('individual assessment of each migratory situation');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: 'A/HRC/43/15, paragraph 121.52' }).click();
    await page.getByRole('heading', { level: 2, name: 'Plan an action' }).waitFor();
    state.recommendationId = page.url().split('/').pop();

    // Plan an action led by Justice and supported by Interior; empty, the form says what it lacks.
    await page.getByRole('button', { name: 'Plan the action' }).click();
    await page.getByText('Say what the action is.').waitFor();
    await expect(page.getByRole('textbox', { name: 'Action' }).getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await page.getByRole('textbox', { name: 'Action' }).fill(ACTION);
    await page
      .getByRole('combobox', { name: 'Lead institution' })
      .selectOption({ label: 'Ministry of Justice' });
    await page.getByRole('checkbox', { name: 'Ministry of Interior' }).check();
    const due = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Due date').fill(due);
    // The actions service learns of imported recommendations over Kafka: until then it answers 422.
    await waitFor('the action to be planned', async () => {
      await page.getByRole('button', { name: 'Plan the action' }).click();
      const outcome = page.getByText(/is planned\.|has not received this recommendation yet/);
      await outcome.first().waitFor();
      return (await page.getByText(`The action “${ACTION}” is planned.`).count()) === 1 || undefined;
    });
    const planned = await http(
      'GET',
      `${web.stack.url('actions')}/actions?recommendationId=${state.recommendationId}`,
      undefined,
      await as('coordinator'),
    );
    expect(planned.body.items).toHaveLength(1);
    expect(planned.body.items[0]).toMatchObject({
      title: ACTION,
      institution: 'Ministry of Justice',
      supportingInstitutions: ['Ministry of Interior'],
      status: 'assigned',
    });
    expect(planned.body.items[0].dueAt.slice(0, 10)).toBe(due);
    state.actionId = planned.body.items[0].id;
    await check(page, 'recommendation (en)');

    // The plans page lists it with both ministries; its own page takes an indicator.
    await nav.getByRole('link', { name: 'Planning' }).click();
    const row = page.getByTestId('planned-actions').getByRole('row').filter({ hasText: ACTION });
    await expect(row.innerText()).resolves.toMatch(/Ministry of Justice\s+Ministry of Interior/);
    await check(page, 'planning (en)');
    await row.getByRole('link', { name: ACTION }).click();
    await page.getByRole('heading', { level: 1, name: ACTION }).waitFor();
    await page.getByRole('button', { name: 'Add the indicator' }).click();
    await expect(page.getByRole('textbox', { name: 'Name' }).getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await page.getByRole('textbox', { name: 'Name' }).fill('Border police officers trained');
    await page.getByRole('textbox', { name: 'Unit' }).fill('officers');
    await page.getByRole('textbox', { name: 'Baseline value' }).fill('0');
    await page.getByLabel('Baseline date').fill('2026-01-01');
    await page.getByRole('textbox', { name: 'Target value' }).fill('400');
    await page.getByLabel('Target date').fill('2028-12-31');
    await page.getByRole('textbox', { name: 'Data source' }).fill('Police Academy records');
    await page.getByRole('button', { name: 'Add the indicator' }).click();
    await page.getByText('The indicator was added.').waitFor();
    await page.getByText('Border police officers trained').waitFor();
    await check(page, 'action (en)');
    await page.context().close();
  });

  it('accepts an approved report from the review queue, then compiles the annex and downloads it', async () => {
    const actionId = state.actionId;
    if (!actionId) throw new Error('the planning flow did not plan the action');
    // Justice takes the action on and reports; its validator approves.
    const read = await http(
      'GET',
      `${web.stack.url('actions')}/actions/${actionId}`,
      undefined,
      await as('coordinator'),
    );
    const acknowledged = await step(`/actions/${actionId}/acknowledge`, 'focal.justice', read.body.version);
    await step(`/actions/${actionId}/start`, 'focal.justice', acknowledged.version);
    const draft = await http(
      'POST',
      `${web.stack.url('actions')}/actions/${actionId}/progress-reports`,
      { narrative: NARRATIVE, percentage: 30, final: false },
      await as('focal.justice'),
    );
    expect(draft.status).toBe(201);
    const submitted = await step(
      `/progress-reports/${draft.body.id}/submit`,
      'focal.justice',
      draft.body.version,
    );
    await step(`/progress-reports/${draft.body.id}/approve`, 'validator.justice', submitted.version);

    const page = await web.signIn('coordinator');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'Review queue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
    const item = page.getByTestId('review-item').filter({ hasText: ACTION });
    await item.getByText(NARRATIVE).waitFor();
    await check(page, 'review (en)');
    // Returning needs a reason, tied to its field; then the coordinator accepts instead.
    await item.getByRole('button', { name: 'Return with a reason' }).click();
    await item.getByRole('button', { name: 'Return the report' }).click();
    await expect(
      item.getByRole('textbox', { name: 'Why the report goes back' }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await item.getByRole('button', { name: 'Cancel' }).click();
    await item.getByRole('button', { name: 'Accept' }).click();
    await page.getByText(`The report on “${ACTION}” is accepted.`).waitFor();
    await page.getByTestId('review-item').filter({ hasText: ACTION }).waitFor({ state: 'detached' });
    const report = await http(
      'GET',
      `${web.stack.url('actions')}/progress-reports/${draft.body.id}`,
      undefined,
      await as('coordinator'),
    );
    expect(report.body.status).toBe('accepted_by_coordinator');

    // The UPR annex for Slovenia's third cycle, compiled with a progress bar, then downloaded.
    await nav.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page
      .getByRole('combobox', { name: 'Report', exact: true })
      .selectOption({ label: 'UPR implementation annex' });
    await page.getByRole('combobox', { name: 'File format' }).selectOption('docx');
    await page.getByRole('combobox', { name: 'Language of the report' }).selectOption({ label: 'English' });
    await page.getByRole('button', { name: 'Compile', exact: true }).click();
    await page.getByText('Enter an ISO 3166 alpha-3 code, such as SVN.').waitFor();
    await page.getByRole('textbox', { name: 'State (ISO code)' }).fill('SVN');
    await page.getByRole('textbox', { name: 'UPR cycle' }).fill('3');
    await page.getByRole('button', { name: 'Compile', exact: true }).click();
    await page.getByTestId('report-progress').waitFor();
    await page.locator('[data-testid=report-progress][data-status=ready]').waitFor({ timeout: 120_000 });
    await expect(page.getByTestId('report-progress').getAttribute('aria-valuenow')).resolves.toBe('100');
    await check(page, 'reports (en)');
    const download = page.waitForEvent('download');
    await page
      .getByRole('region', { name: 'The report being compiled' })
      .getByRole('button', { name: /^Download / })
      .click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.docx$/);
    const bytes = readFileSync((await file.path()) as string);
    // A DOCX is a ZIP whose main part is word/document.xml.
    expect(bytes.subarray(0, 4).toString('binary')).toBe('PK\u0003\u0004');
    expect(bytes.includes(Buffer.from('word/document.xml'))).toBe(true);
    process.stdout.write(`annex downloaded: ${file.suggestedFilename()}, ${bytes.length} bytes\n`);

    // The dashboard before the work is done: the lead ministry's completed actions.
    const completedOnDashboard = async () => {
      const counts = await http(
        'GET',
        `${web.stack.url('reporting')}/dashboards/actions/counts?by=lead_institution`,
        undefined,
        await as('coordinator'),
      );
      const justice = (
        counts.body.groups as { key: string; byStatus: Record<string, { count: number }> }[]
      ).find((group) => /justice/i.test(group.key));
      return { key: justice?.key ?? '', api: justice?.byStatus.completed?.count ?? 0 };
    };
    const before = await completedOnDashboard();
    expect(before.key).not.toBe('');
    const completedCell = () =>
      page
        .getByTestId('by-ministry')
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: before.key }) })
        .locator('[data-status=completed]');
    await page.goto(`${ORIGIN}/dashboard`);
    await expect(completedCell().getAttribute('data-count')).resolves.toBe(String(before.api));

    // The coordinator blocks the work (a reason is needed), resumes it, then declares it done.
    await page.goto(`${ORIGIN}/planning/actions/${actionId}`);
    await page.getByText('Status: In progress').waitFor();
    await page.getByRole('button', { name: 'Mark as blocked' }).click();
    await page.getByRole('button', { name: 'Mark as blocked' }).last().click();
    await expect(page.locator('#workflow-reason').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.locator('#workflow-reason').fill('The training centre is closed for renovation.');
    await page.getByRole('button', { name: 'Mark as blocked' }).last().click();
    await page.getByText('Status: Blocked').waitFor();
    await page.getByRole('button', { name: 'Resume the work' }).click();
    await page.getByText('Status: In progress').waitFor();
    await page.getByRole('button', { name: 'Declare the work done' }).click();
    await page.getByText('Status: Completed').waitFor();
    const done = await http(
      'GET',
      `${web.stack.url('actions')}/actions/${actionId}`,
      undefined,
      await as('coordinator'),
    );
    expect(done.body.status).toBe('completed');
    // The dashboard changes with it, once the read model has the event.
    await waitFor('the dashboard to count the completed action', async () =>
      (await completedOnDashboard()).api === before.api + 1 ? true : undefined,
    );
    await page.goto(`${ORIGIN}/dashboard`);
    await expect(completedCell().getAttribute('data-count')).resolves.toBe(String(before.api + 1));
    await page.getByTestId('reports-per-month').getByRole('table').waitFor();
    await page.getByTestId('status-over-time').getByRole('table').waitFor();

    await nav.getByRole('link', { name: 'Institutions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Institution directory' }).waitFor();
    await page
      .getByTestId('directory')
      .getByRole('rowheader', { name: /Ministry of Justice/ })
      .waitFor();
    await check(page, 'directory (en)');
    // A new institution: the English name is required, tied to its field; then it is listed.
    await page.getByRole('button', { name: 'Add the institution' }).click();
    await expect(
      page.getByRole('textbox', { name: 'Name in English' }).getAttribute('aria-invalid'),
    ).resolves.toBe('true');
    await page.getByRole('textbox', { name: 'Name in English' }).fill('Statistical Office');
    await page.getByRole('textbox', { name: 'Name in Français' }).fill('Office statistique');
    await page.getByRole('textbox', { name: 'Acronym', exact: true }).fill('SURS');
    await page.getByRole('combobox', { name: 'Kind', exact: true }).selectOption({ label: 'Agency' });
    await page.getByRole('button', { name: 'Add the institution' }).click();
    await page.getByText('Statistical Office is in the directory.').waitFor();
    await page
      .getByTestId('directory')
      .getByRole('rowheader', { name: 'Statistical Office (SURS)' })
      .waitFor();
    const office = await http(
      'GET',
      `${web.stack.url('actions')}/institutions/${encodeURIComponent('Statistical Office')}`,
      undefined,
      await as('coordinator'),
    );
    expect(office.body).toMatchObject({
      kind: 'agency',
      names: { en: 'Statistical Office', fr: 'Office statistique' },
    });
    await page.context().close();
  });

  it("shows the action's audit trail as the actions service gives it, filtered on the audit page", async () => {
    const actionId = state.actionId;
    if (!actionId) throw new Error('the planning flow did not plan the action');
    const page = await web.signIn('coordinator');
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('link', { name: 'Audit' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Audit trail' }).waitFor();
    await page.getByRole('combobox', { name: 'Service' }).selectOption({ label: 'Actions' });
    await page.getByRole('textbox', { name: 'Entity', exact: true }).fill('actions');
    await page.getByRole('textbox', { name: 'Entity id' }).fill(actionId);
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    const trail = await http(
      'GET',
      `${web.stack.url('actions')}/audit?entity=actions&entityId=${actionId}&limit=50`,
      undefined,
      await as('coordinator'),
    );
    expect(trail.status).toBe(200);
    const records = trail.body.items as { seq: number; action: string }[];
    // Planned, acknowledged, started, blocked, resumed and completed: all changes of this one row.
    expect(records.length).toBeGreaterThanOrEqual(6);
    const rows = page.getByTestId('audit-row');
    await page.locator(`[data-testid=audit-count][data-count="${records.length}"]`).waitFor();
    await expect(
      rows.evaluateAll((all) => all.map((row) => Number(row.getAttribute('data-seq')))),
    ).resolves.toEqual(records.map((record) => record.seq));
    await expect(rows.first().getByRole('cell').nth(2).innerText()).resolves.toBe(records[0]?.action);
    await expect(rows.first().getByRole('cell').nth(0).innerText()).resolves.toBe('Actions');
    await check(page, 'audit (en)');
    await page.context().close();
  });

  it('shows every coordinator page in English and in Arabic, right to left, with no serious axe violation', async () => {
    const page = await web.signIn('coordinator');
    for (const { path, name, en } of PAGES.filter((entry) => ONLY_VISITED.has(entry.name))) {
      await page.goto(`${ORIGIN}${path}`);
      await page.getByRole('heading', { level: 1, name: en }).waitFor();
      await check(page, `${name} (en)`);
    }
    await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'العربية' });
    await page.getByRole('combobox', { name: 'اللغة' }).waitFor();
    for (const { path, name, ar } of PAGES) {
      await page.goto(`${ORIGIN}${path}`);
      await page.getByRole('heading', { level: 1, name: ar }).waitFor();
      await expect(page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
      await check(page, `${name} (ar)`);
    }
    if (state.recommendationId) {
      await page.goto(`${ORIGIN}/recommendations/${state.recommendationId}`);
      await page.getByRole('heading', { level: 2, name: 'التخطيط لإجراء' }).waitFor();
      await check(page, 'recommendation (ar)');
    }
    if (state.actionId) {
      await page.goto(`${ORIGIN}/planning/actions/${state.actionId}`);
      await page.getByRole('heading', { level: 2, name: 'المؤشرات' }).waitFor();
      await check(page, 'action (ar)');
    }
    await page.context().close();
  });
}

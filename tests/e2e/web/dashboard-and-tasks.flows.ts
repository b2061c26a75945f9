// The coordinator's dashboard against the API's numbers, in English and Arabic, and a focal point's
// task list and progress report, scoped to their institution.
import { demoToken, http, waitFor } from '@nmirf/testing';
import { createRecommendation } from '../helpers';
import { ORIGIN, type WebHarness } from './harness';

const JUSTICE_TASK = 'Train judges on the Convention against Torture';
const INTERIOR_TASK = 'Publish police custody statistics';

export function dashboardAndTaskFlows(web: WebHarness): void {
  beforeAll(async () => {
    const first = await createRecommendation(web.stack, '143.1');
    const second = await createRecommendation(web.stack, '143.2');
    await assign(first, JUSTICE_TASK, 'Ministry of Justice', 10);
    await assign(second, INTERIOR_TASK, 'Ministry of Interior', 20);
  });

  async function assign(recommendationId: string, title: string, institution: string, days: number) {
    await waitFor(`the action "${title}"`, async () => {
      const answer = await http('POST', `${web.stack.url('actions')}/actions`, {
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

  it('shows the coordinator the dashboard numbers the API counts, in English and in Arabic', async () => {
    const token = await demoToken('coordinator');
    // The read model follows the events: wait until it counts both actions.
    const deadlines = await waitFor('the dashboard to count both actions', async () => {
      const answer = await http('GET', `${web.stack.url('reporting')}/dashboards/deadlines`, undefined, {
        authorization: `Bearer ${token}`,
      });
      return answer.body?.dueIn30Days?.count === 2 ? answer.body : undefined;
    });
    const byMinistry = await http(
      'GET',
      `${web.stack.url('reporting')}/dashboards/actions/counts?by=lead_institution`,
      undefined,
      { authorization: `Bearer ${token}` },
    );

    const page = await web.signIn('coordinator');
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
      await expect(row.getByTestId('total').innerText()).resolves.toBe(String(group.total.count));
    }
    const englishViolations = await web.expectNoSeriousViolations(page, 'dashboard (en)');
    await web.screenshot(page, 'dashboard-en');

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
    // The Arabic plural: two is the dual form ("إجراءان"), not the plural of 3 to 10; the days are
    // written in Arabic-Indic digits.
    await expect(page.getByTestId('due-30').innerText()).resolves.toBe('إجراءان مستحقان خلال ٣٠ يومًا');
    const arabicViolations = await web.expectNoSeriousViolations(page, 'dashboard (ar)');
    await web.screenshot(page, 'dashboard-ar');
    // The choice is remembered.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'لوحة المتابعة' }).waitFor();
    process.stdout.write(
      `axe, dashboard: ${englishViolations} violations in English, ${arabicViolations} in Arabic (none serious)\n`,
    );
    await page.context().close();
  });

  it('shows a focal point only their institution’s tasks, and takes their progress report', async () => {
    const page = await web.signIn('focal.justice');
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
    await web.expectNoSeriousViolations(page, 'tasks (en)');
    await web.screenshot(page, 'tasks-en');

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
    await web.expectNoSeriousViolations(page, 'task (en)');
    await web.screenshot(page, 'task-en');
    await page.context().close();

    // The interior ministry's focal point sees the other task and not this one.
    const other = await web.signIn('focal.interior');
    await other.goto(`${ORIGIN}/tasks`);
    const theirs = other.getByTestId('tasks');
    await theirs.waitFor();
    await expect(theirs.getByRole('link', { name: INTERIOR_TASK }).count()).resolves.toBe(1);
    await expect(theirs.getByText(JUSTICE_TASK).count()).resolves.toBe(0);
    await other.context().close();
  });
}

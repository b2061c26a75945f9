// Keyboard alone: a focal point moves from the home page to a task and reports progress with Tab,
// Enter and typing, never the mouse, and every control reached shows a visible focus ring.
import { http, waitFor } from '@nmirf/testing';
import type { Page } from 'playwright-core';
import { createRecommendation } from '../helpers';
import type { WebHarness } from './harness';

const TASK = 'Publish the sentencing guidelines in plain language';
/** More Tab presses than any page here has controls before its main content's end. */
const MAX_TABS = 80;

/**
 * What the focused element is called and whether focus shows on it (run in the page): an outline or
 * a shadow of its own, or, for a text field, the 2 px border MUI draws around the focused field.
 */
const FOCUSED = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) return { name: '', ring: false };
  const style = getComputedStyle(element);
  const label = element.id ? document.querySelector('label[for="' + element.id + '"]')?.textContent : null;
  const name = (element.getAttribute('aria-label') ?? label ?? element.textContent ?? '').trim();
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const field = element.closest('.Mui-focused')?.querySelector('fieldset');
  const border = field ? parseFloat(getComputedStyle(field).borderTopWidth) >= 2 : false;
  return { name, ring: outline || style.boxShadow !== 'none' || border };
})()`;
const focused = (page: Page) => page.evaluate(FOCUSED) as Promise<{ name: string; ring: boolean }>;

/** Presses Tab until the control called `name` has the focus, and checks its focus ring. */
async function tabTo(page: Page, name: string | RegExp): Promise<void> {
  const seen: string[] = [];
  for (let presses = 0; presses < MAX_TABS; presses += 1) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    seen.push(now.name);
    if (typeof name === 'string' ? now.name.includes(name) : name.test(now.name)) {
      expect({ control: now.name, focusVisible: now.ring }).toEqual({
        control: now.name,
        focusVisible: true,
      });
      return;
    }
  }
  throw new Error(`Tab never reached "${name}"; focus went through: ${seen.join(' | ')}`);
}

export function keyboardFlows(web: WebHarness): void {
  beforeAll(async () => {
    const recommendationId = await createRecommendation(web.stack, '144.7');
    await waitFor(`the action "${TASK}"`, async () => {
      const answer = await http('POST', `${web.stack.url('actions')}/actions`, {
        recommendationId,
        title: TASK,
        institution: 'Ministry of Justice',
        dueDate: new Date(Date.now() + 45 * 86_400_000).toISOString(),
      });
      if (answer.status === 422) return undefined; // the recommendation has not reached actions yet
      expect(answer.status).toBe(201);
      return answer.body;
    });
  });

  it('lets a focal point reach a task and report progress with the keyboard alone, focus always visible', async () => {
    const page = await web.signIn('focal.justice');
    await tabTo(page, 'My tasks');
    await page.keyboard.press('Enter');
    await page.getByTestId('tasks').waitFor();
    await tabTo(page, TASK);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: TASK }).waitFor();

    await tabTo(page, 'Acknowledge the task');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Start the work' }).waitFor();
    await tabTo(page, 'Start the work');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Report progress' }).waitFor();

    await tabTo(page, 'What was done');
    await page.keyboard.type('Guidelines drafted with the bar association; public consultation opened.');
    await tabTo(page, 'Progress (per cent)');
    await page.keyboard.type('25');
    await tabTo(page, 'Submit the report');
    await page.keyboard.press('Enter');
    await page.getByText('The report was submitted for validation.').waitFor();
    await page.getByText('25% — Submitted').waitFor();
    await web.screenshot(page, 'keyboard-task-en');
    await page.context().close();
  });
}

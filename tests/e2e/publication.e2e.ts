// What is public: published and unpublished items of the four kinds (recommendations, plans,
// progress reports, independent assessments), then every public operation of every service (those
// its OpenAPI document marks `x-public`, so a new public route is covered without editing this test)
// called anonymously with every id we know. No unpublished item may show in any answer.
import { bearer, demoToken, http, Stack, waitFor, type DemoUser } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { createRecommendation, MINISTRY } from './helpers';

const SERVICES = ['recommendations', 'actions', 'notifications', 'reporting'] as const;
const ANONYMOUS = bearer();

describe('what anonymous readers see', () => {
  let stack: Stack;
  /** Ids and text of unpublished items: none may appear in an anonymous answer. */
  const hidden = new Set<string>();
  /** Ids and text of published items: each must appear somewhere (so the test can fail). */
  const shown = new Set<string>();
  /** Every id, tried in every path parameter. */
  const ids = new Set<string>();
  const marker = (kind: string) => `${kind}-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'publication' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const actions = (path: string) => `${stack.url('actions')}${path}`;
  const as = async (user: DemoUser) => bearer(await demoToken(user));
  const known = (published: boolean, id: string, ...texts: string[]) => {
    ids.add(id);
    for (const needle of [id, ...texts]) (published ? shown : hidden).add(needle);
  };

  async function recommendation(paragraph: string, published: boolean): Promise<string> {
    const id = await createRecommendation(stack, paragraph);
    if (published) {
      const put = await http('PUT', `${stack.url('recommendations')}/recommendations/${id}/publication`, {
        published: true,
      });
      expect(put.status).toBe(200);
    }
    known(published, id);
    return id;
  }

  async function plan(published: boolean): Promise<string> {
    const title = marker(published ? 'public-plan' : 'hidden-plan');
    const created = await http('POST', actions('/plans'), {
      state: 'SVN',
      title,
      kind: 'upr_cycle',
      periodStart: '2025-01-01',
      periodEnd: '2029-12-31',
      published,
    });
    expect(created.status).toBe(201);
    known(published, created.body.id, title);
    return created.body.id;
  }

  async function version(actionId: string): Promise<string> {
    return `"${(await http('GET', actions(`/actions/${actionId}`))).body.version}"`;
  }
  async function command(actionId: string, name: string, user: DemoUser, body?: unknown) {
    const headers = { ...(await as(user)), 'if-match': await version(actionId) };
    const answer = await http('POST', actions(`/actions/${actionId}/${name}`), body, headers);
    expect({ name, status: answer.status }).toEqual({ name, status: 200 });
  }

  /** An action in the plan, in progress, led by the Ministry of Justice. */
  async function actionIn(planId: string, recommendationId: string): Promise<string> {
    const action = await waitFor('the action to be created', async () => {
      const created = await http('POST', actions('/actions'), {
        recommendationId,
        title: marker('action'),
      });
      if (created.status === 422) return undefined;
      expect(created.status).toBe(201);
      return created.body as { id: string };
    });
    const planned = await http(
      'PATCH',
      actions(`/actions/${action.id}`),
      { planId },
      { 'if-match': await version(action.id) },
    );
    expect(planned.status).toBe(200);
    await command(action.id, 'assign', 'coordinator', {
      institution: MINISTRY,
      dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    });
    await command(action.id, 'acknowledge', 'focal.justice');
    await command(action.id, 'start', 'focal.justice');
    ids.add(action.id);
    return action.id;
  }

  /** A progress report taken as far as `until`, then published (with a summary) or not. */
  async function report(
    actionId: string,
    until: 'draft' | 'accepted',
    publish: { summary?: string } | false,
    visible: boolean,
  ): Promise<string> {
    const narrative = marker(visible ? 'public-narrative' : 'hidden-narrative');
    const created = await http(
      'POST',
      actions(`/actions/${actionId}/progress-reports`),
      { narrative, percentage: 40 },
      await as('focal.justice'),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    if (until === 'accepted')
      for (const [step, user] of [
        ['submit', 'focal.justice'],
        ['approve', 'validator.justice'],
        ['accept', 'coordinator'],
      ] as const) {
        const answer = await http('POST', actions(`/progress-reports/${id}/${step}`), {}, await as(user));
        expect({ step, status: answer.status }).toEqual({ step, status: 200 });
      }
    if (publish) {
      const published = await http('POST', actions(`/progress-reports/${id}/publish`), publish);
      expect(published.status).toBe(200);
    }
    if (publish && publish.summary) {
      known(visible, id, publish.summary);
      hidden.add(narrative); // the public summary stands in for it
    } else known(visible, id, narrative);
    return id;
  }

  async function assessment(recommendationId: string, published: boolean): Promise<string> {
    const narrative = marker(published ? 'public-assessment' : 'hidden-assessment');
    const nhri = await as('nhri');
    const created = await waitFor('the recommendation to reach the actions service', async () => {
      const answer = await http(
        'POST',
        actions(`/recommendations/${recommendationId}/assessments`),
        { status: 'in_progress', narrative },
        nhri,
      );
      if (answer.status === 404) return undefined;
      expect(answer.status).toBe(201);
      return answer.body as { id: string };
    });
    if (published)
      expect((await http('POST', actions(`/assessments/${created.id}/publish`), {}, nhri)).status).toBe(200);
    known(published, created.id, narrative);
    return created.id;
  }

  it('never shows an unpublished recommendation, plan, progress report or assessment', async () => {
    const publicRecommendation = await recommendation('150.1', true);
    await recommendation('150.2', false);
    const publicPlan = await plan(true);
    const hiddenPlan = await plan(false);

    const publicAction = await actionIn(publicPlan, publicRecommendation);
    await report(publicAction, 'accepted', { summary: marker('public-summary') }, true);
    await report(publicAction, 'accepted', {}, true);
    await report(publicAction, 'accepted', false, false);
    await report(publicAction, 'draft', false, false);
    // Published, but its action's plan is not: still hidden.
    const hiddenAction = await actionIn(hiddenPlan, publicRecommendation);
    await report(hiddenAction, 'accepted', { summary: marker('hidden-summary') }, false);
    // Actions of an unpublished plan are not public either.
    hidden.add(hiddenAction);

    await assessment(publicRecommendation, true);
    await assessment(publicRecommendation, false);

    // Reporting's public dashboards learn of the publication through RecommendationUpdated: wait until
    // they list the published recommendation, so the scan below finds them filled in.
    await waitFor('the public dashboards to show the published recommendation', async () => {
      const listed = await http(
        'GET',
        `${stack.url('reporting')}/dashboards/recommendations?limit=100`,
        undefined,
        ANONYMOUS,
      );
      return listed.status === 200 &&
        listed.body.items.some((item: { id: string }) => item.id === publicRecommendation)
        ? true
        : undefined;
    });

    // Every public GET, from each service's OpenAPI document.
    const operations: { service: (typeof SERVICES)[number]; path: string }[] = [];
    for (const service of SERVICES) {
      const base = stack.url(service);
      const document = (await http('GET', `${base}/docs/openapi.json`, undefined, ANONYMOUS)).body;
      for (const [path, methods] of Object.entries(
        document.paths as Record<string, Record<string, { 'x-public'?: boolean }>>,
      ))
        for (const [method, operation] of Object.entries(methods))
          if (operation['x-public'] && method === 'get') operations.push({ service, path });
    }
    // The routes this test was written against must be among them.
    expect(operations.map(({ service, path }) => `${service} ${path}`)).toEqual(
      expect.arrayContaining([
        'recommendations /recommendations',
        'recommendations /recommendations/export',
        'recommendations /recommendations/{id}',
        'actions /plans',
        'actions /plans/{id}',
        'actions /actions/{id}/progress-reports',
        'actions /progress-reports/{id}',
        'actions /recommendations/{id}/assessments',
        'actions /assessments/{id}',
      ]),
    );

    const answers: string[] = [];
    const leaks: string[] = [];
    let calls = 0;
    for (const { service, path } of operations) {
      const params = path.match(/\{[^}]+\}/g) ?? [];
      // Each id we know, in the path's parameters (a file's sha256 then answers 400: no file is public here).
      const urls =
        params.length === 0
          ? [path, `${path}?published=false`, `${path}?limit=100`]
          : [...ids].map((id) => path.replace(/\{[^}]+\}/g, id));
      for (const url of urls) {
        // No authorization header at all: an anonymous reader (fetch adds no default token).
        const response = await fetch(`${stack.url(service)}${url}`);
        calls += 1;
        expect(response.status).toBeLessThan(500);
        if (!response.ok) continue; // a refusal or 404 says nothing
        // The caller's own ids, echoed back, are no leak.
        let text = await response.text();
        for (const id of url.match(/[0-9a-f-]{36}/g) ?? []) text = text.split(id).join('');
        answers.push(text);
        for (const needle of hidden) if (text.includes(needle)) leaks.push(`${service} ${url}: ${needle}`);
      }
    }
    expect(leaks).toEqual([]);
    const everything = answers.join('\n');
    expect([...shown].filter((needle) => !everything.includes(needle))).toEqual([]);
    process.stdout.write(
      `publication: ${operations.length} public operations, ${calls} anonymous calls, ${hidden.size} hidden and ${shown.size} published items\n`,
    );
  });
});

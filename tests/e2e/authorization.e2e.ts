// Who may call what, asserted for every route of every service with real tokens from the real
// Keycloak. The routes come from the services' OpenAPI documents: a route missing from EXPECTED fails.
import { bearer, demoToken, http, serviceToken, Stack, waitFor, type DemoUser } from '@nmirf/testing';
import { createAssignedAction, createRecommendation, inbox, MINISTRY } from './helpers';

type Subject = 'anonymous' | DemoUser | 'service';
const SUBJECTS: Subject[] = [
  'anonymous',
  'focal.justice',
  'focal.interior',
  'validator.justice',
  'coordinator',
  'nhri',
  'cso',
  'admin',
  'service',
];
const EVERYONE = new Set<Subject>(SUBJECTS);
const only = (...subjects: Subject[]) => new Set<Subject>(subjects);
const READERS = only('coordinator', 'focal.justice', 'focal.interior', 'validator.justice', 'nhri', 'cso');
const INSTITUTION_WORK = only('coordinator', 'focal.justice', 'focal.interior', 'validator.justice');
const AUDITORS = only('coordinator', 'admin');
/** Every person with a role: their own mail profile and preferences (never someone else's). */
const PEOPLE = only(
  'coordinator',
  'focal.justice',
  'focal.interior',
  'validator.justice',
  'nhri',
  'cso',
  'admin',
);

/** Every service's queue view (empty where the service has no queue): administrators only. */
const QUEUE_VIEW = {
  'GET /admin/queues': only('admin'),
  'GET /admin/queues/{queue}/jobs': only('admin'),
  'POST /admin/queues/{queue}/jobs/{id}/retry': only('admin'),
};

/** `METHOD /path` as in OpenAPI → who the route lets in (before any object-level check). */
const EXPECTED: Record<string, Record<string, Set<Subject>>> = {
  recommendations: {
    'POST /recommendations': only('coordinator'),
    'GET /recommendations': EVERYONE,
    'GET /recommendations/export': EVERYONE,
    'GET /recommendations/{id}': EVERYONE,
    'GET /recommendations/{id}/history': only('coordinator'),
    'PUT /recommendations/{id}/position': only('coordinator'),
    // Publication for anonymous readers (a public portal): the coordinator's, one or many at once.
    'PUT /recommendations/{id}/publication': only('coordinator'),
    'POST /recommendations/publication': only('coordinator'),
    'POST /imports': only('coordinator', 'service'),
    'GET /imports': only('coordinator', 'service'),
    'GET /imports/template': EVERYONE,
    'GET /imports/{id}': only('coordinator', 'service'),
    'GET /imports/{id}/rows': only('coordinator', 'service'),
    'POST /imports/{id}/apply': only('coordinator', 'service'),
    'GET /links': READERS,
    'POST /links': only('coordinator'),
    'POST /links/detect': only('coordinator'),
    'POST /links/{id}/decision': only('coordinator'),
    'GET /clusters': READERS,
    'POST /clusters': only('coordinator'),
    'GET /clusters/suggestions': only('coordinator'),
    'POST /clusters/suggestions/accept': only('coordinator'),
    'GET /clusters/{id}': READERS,
    'POST /clusters/{id}/members': only('coordinator'),
    'DELETE /clusters/{id}/members/{recommendationId}': only('coordinator'),
    'DELETE /clusters/{id}': only('coordinator'),
    'GET /taxonomies/mechanisms': EVERYONE,
    'GET /taxonomies/states': EVERYONE,
    'GET /taxonomies/regional-groups': EVERYONE,
    'GET /taxonomies/themes': EVERYONE,
    'GET /taxonomies/groups': EVERYONE,
    'GET /taxonomies/sdgs/goals': EVERYONE,
    'GET /taxonomies/sdgs/targets': EVERYONE,
    'GET /taxonomies/sdgs/indicators': EVERYONE,
    'GET /taxonomies/upr/cycles': EVERYONE,
    'GET /audit': AUDITORS,
    ...QUEUE_VIEW,
  },
  actions: {
    'POST /actions': only('coordinator'),
    'GET /actions': INSTITUTION_WORK,
    'GET /actions/{id}': INSTITUTION_WORK,
    'PUT /actions/{id}/assignment': only('coordinator'),
    'PUT /actions/{id}/due-date': only('coordinator'),
    'POST /actions/{id}/progress': only('coordinator', 'focal.justice', 'focal.interior'),
    'GET /actions/{id}/progress': INSTITUTION_WORK,
    // The workflow's commands; the workflow then decides for the action at hand (403, or 404 elsewhere).
    'POST /actions/{id}/assign': only('coordinator'),
    'POST /actions/{id}/acknowledge': only('focal.justice', 'focal.interior'),
    'POST /actions/{id}/decline': only('focal.justice', 'focal.interior'),
    'POST /actions/{id}/start': only('focal.justice', 'focal.interior'),
    'POST /actions/{id}/block': only('coordinator', 'focal.justice', 'focal.interior'),
    'POST /actions/{id}/unblock': only('coordinator', 'focal.justice', 'focal.interior'),
    'POST /actions/{id}/complete': only('coordinator'),
    'POST /actions/{id}/cancel': only('coordinator'),
    'POST /actions/{id}/reopen': only('coordinator'),
    'PATCH /actions/{id}': only('coordinator'),
    // Plans: published ones are public; the coordinator writes them.
    'GET /plans': EVERYONE,
    'POST /plans': only('coordinator'),
    'GET /plans/{id}': EVERYONE,
    'PUT /plans/{id}': only('coordinator'),
    'DELETE /plans/{id}': only('coordinator'),
    'GET /institutions': EVERYONE,
    'GET /institutions/{id}': EVERYONE,
    'POST /institutions': only('coordinator'),
    'PUT /institutions/{id}': only('coordinator'),
    'DELETE /institutions/{id}': only('coordinator'),
    'POST /institutions/import': only('coordinator'),
    'GET /recommendations/{id}/assessments': EVERYONE,
    'POST /recommendations/{id}/assessments': only('nhri', 'cso'),
    'GET /assessments/{id}': EVERYONE,
    'PUT /assessments/{id}': only('nhri', 'cso'),
    'DELETE /assessments/{id}': only('nhri', 'cso'),
    'POST /assessments/{id}/publish': only('nhri', 'cso'),
    'POST /assessments/{id}/unpublish': only('nhri', 'cso'),
    'POST /assessments/{id}/files': only('nhri', 'cso'),
    'GET /assessments/{id}/files/{sha256}': EVERYONE,
    'DELETE /assessments/{id}/files/{sha256}': only('nhri', 'cso'),
    // Progress reports: published ones (public form) to anyone when the action's plan is published.
    'GET /actions/{id}/progress-reports': EVERYONE,
    'POST /actions/{id}/progress-reports': only('focal.justice', 'focal.interior'),
    'GET /progress-reports': INSTITUTION_WORK,
    'GET /progress-reports/{id}': EVERYONE,
    'PUT /progress-reports/{id}': only('focal.justice', 'focal.interior'),
    'POST /progress-reports/{id}/submit': only('focal.justice', 'focal.interior'),
    'POST /progress-reports/{id}/approve': only('validator.justice'),
    'POST /progress-reports/{id}/return': only('validator.justice', 'coordinator'),
    'POST /progress-reports/{id}/accept': only('coordinator'),
    'POST /progress-reports/{id}/publish': only('coordinator'),
    'POST /progress-reports/{id}/unpublish': only('coordinator'),
    'POST /progress-reports/{id}/evidence': only('focal.justice', 'focal.interior'),
    'GET /progress-reports/{id}/evidence/{sha256}': INSTITUTION_WORK,
    // Comment threads: the government's internal notes, never NHRI or civil society.
    'GET /actions/{id}/comments': INSTITUTION_WORK,
    'POST /actions/{id}/comments': INSTITUTION_WORK,
    'PATCH /actions/{id}/comments/{commentId}': INSTITUTION_WORK,
    'DELETE /actions/{id}/comments/{commentId}': INSTITUTION_WORK,
    'GET /actions/{id}/indicators': INSTITUTION_WORK,
    'POST /actions/{id}/indicators': only('coordinator'),
    'GET /recommendations/{id}/indicators': INSTITUTION_WORK,
    'POST /recommendations/{id}/indicators': only('coordinator'),
    'GET /indicators/{id}': INSTITUTION_WORK,
    'PUT /indicators/{id}': only('coordinator'),
    'POST /indicators/{id}/measurements': only('coordinator', 'focal.justice', 'focal.interior'),
    'GET /recommendations/{id}/implementation-status': INSTITUTION_WORK,
    'PUT /recommendations/{id}/implementation-status': only('coordinator'),
    'DELETE /recommendations/{id}/implementation-status': only('coordinator'),
    // The State's reporting calendar is public (treaty and UPR deadlines only); a feed client sends no token.
    'GET /calendar': EVERYONE,
    'GET /calendar.ics': EVERYONE,
    'GET /calendar/documents-to-confirm': only('coordinator'),
    'POST /calendar/milestones': only('coordinator'),
    'PUT /calendar/entries/{id}': only('coordinator'),
    'DELETE /calendar/entries/{id}': only('coordinator'),
    'GET /audit': AUDITORS,
    ...QUEUE_VIEW,
  },
  notifications: {
    'GET /institutions/{institution}/inbox': INSTITUTION_WORK,
    'POST /notifications/{id}/read': INSTITUTION_WORK,
    'GET /deadlines/{actionId}': INSTITUTION_WORK,
    'GET /reporting-deadlines': only('coordinator'),
    'GET /reporting-deadlines/{deadlineId}': only('coordinator'),
    // Mail: one's own profile and preferences; coordinators provision others' profiles.
    'GET /me/profile': PEOPLE,
    'PUT /me/profile': PEOPLE,
    'GET /me/mail-preferences': PEOPLE,
    'PUT /me/mail-preferences': PEOPLE,
    'GET /recipients/{subject}': only('coordinator', 'admin'),
    'PUT /recipients/{subject}': only('coordinator', 'admin'),
    // Webhooks: service accounts with events:read manage their own subscriptions (others' are 404),
    // administrators all of them; people of the platform read events in their inboxes instead.
    'GET /webhooks/event-types': only('admin', 'service'),
    'POST /webhooks/subscriptions': only('admin', 'service'),
    'GET /webhooks/subscriptions': only('admin', 'service'),
    'GET /webhooks/subscriptions/{id}': only('admin', 'service'),
    'PATCH /webhooks/subscriptions/{id}': only('admin', 'service'),
    'DELETE /webhooks/subscriptions/{id}': only('admin', 'service'),
    'POST /webhooks/subscriptions/{id}/secret/rotate': only('admin', 'service'),
    'GET /webhooks/subscriptions/{id}/deliveries': only('admin', 'service'),
    'POST /webhooks/subscriptions/{id}/deliveries/{deliveryId}/replay': only('admin', 'service'),
    'GET /audit': AUDITORS,
    ...QUEUE_VIEW,
  },
  reporting: {
    'GET /summary': only('coordinator', 'admin'),
    // Focal points: their institution's task list only (403 for other kinds, 404 for others' reports).
    'POST /reports': only('coordinator', 'focal.justice', 'focal.interior'),
    'GET /reports': only('coordinator', 'admin', 'focal.justice', 'focal.interior'),
    'GET /reports/{id}': only('coordinator', 'admin', 'focal.justice', 'focal.interior'),
    'GET /reports/{id}/file': only('coordinator', 'admin', 'focal.justice', 'focal.interior'),
    // Dashboards: everyone; each caller's numbers are scoped in the use case (published items only
    // for anonymous readers), except progress reports per month, which the public never sees.
    'GET /dashboards/actions/counts': EVERYONE,
    'GET /dashboards/recommendations/counts': EVERYONE,
    'GET /dashboards/deadlines': EVERYONE,
    'GET /dashboards/series/implementation-status': EVERYONE,
    'GET /dashboards/series/progress-reports': only(
      'coordinator',
      'admin',
      'focal.justice',
      'focal.interior',
      'validator.justice',
    ),
    'GET /dashboards/actions': EVERYONE,
    'GET /dashboards/recommendations': EVERYONE,
    // Escalations of overdue actions per institution: the secretariat all, an institution its own.
    'GET /dashboards/escalations': only(
      'coordinator',
      'admin',
      'focal.justice',
      'focal.interior',
      'validator.justice',
    ),
    'GET /audit': AUDITORS,
    ...QUEUE_VIEW,
  },
};
const HEALTH = ['GET /health/live', 'GET /health/ready'];

describe('authorization on every route', () => {
  let stack: Stack;
  const tokens = new Map<Subject, string | undefined>();

  beforeAll(async () => {
    stack = await Stack.start({ name: 'authz' });
    tokens.set('anonymous', undefined);
    for (const subject of SUBJECTS.filter((s) => s !== 'anonymous'))
      tokens.set(
        subject,
        subject === 'service' ? await serviceToken() : await demoToken(subject as DemoUser),
      );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('lets in exactly the subjects each route allows, and refuses the others with 401 or 403', async () => {
    const outcomes = { allowed: 0, denied: 0 };
    const wrong: string[] = [];
    for (const [service, expected] of Object.entries(EXPECTED)) {
      const base = stack.url(service as 'actions');
      const document = (await http('GET', `${base}/docs/openapi.json`, undefined, bearer())).body;
      const routes = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(
        ([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
      const unlisted = routes.filter((route) => !(route in expected) && !HEALTH.includes(route));
      expect(unlisted).toEqual([]); // a new route must be added to the matrix
      expect(Object.keys(expected).filter((route) => !routes.includes(route))).toEqual([]);
      // Routes open to everyone carry the OpenAPI mark the publication test finds them by.
      const marked = Object.entries(
        document.paths as Record<string, Record<string, { 'x-public'?: boolean }>>,
      ).flatMap(([path, operations]) =>
        Object.entries(operations)
          .filter(([, operation]) => operation['x-public'] === true)
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      );
      expect(marked.filter((route) => !HEALTH.includes(route)).sort()).toEqual(
        Object.keys(expected)
          .filter((route) => expected[route] === EVERYONE)
          .sort(),
      );
      for (const route of routes.filter((route) => !HEALTH.includes(route))) {
        const [method, path] = route.split(' ');
        // Unknown ids: an allowed caller gets past authorization and then 400/404/422, never 401/403.
        const url = `${base}${path.replace(/\{[^}]+\}/g, (name) =>
          name === '{institution}' ? encodeURIComponent(MINISTRY) : '00000000-0000-4000-8000-000000000000',
        )}`;
        for (const subject of SUBJECTS) {
          const token = tokens.get(subject);
          const response = await http(method, url, method === 'GET' ? undefined : {}, bearer(token));
          const allowed = expected[route].has(subject);
          const refused = response.status === 401 || response.status === 403;
          const expectedStatus = subject === 'anonymous' ? 401 : 403;
          if (allowed ? refused : response.status !== expectedStatus)
            wrong.push(`${subject} ${route}: ${response.status}`);
          outcomes[allowed ? 'allowed' : 'denied'] += 1;
          expect(response.status).toBeLessThan(500);
        }
      }
    }
    expect(wrong).toEqual([]);
    process.stdout.write(
      `authorization matrix: ${outcomes.allowed + outcomes.denied} cases (${Object.values(EXPECTED).reduce(
        (sum, routes) => sum + Object.keys(routes).length,
        0,
      )} routes × ${SUBJECTS.length} subjects), ${outcomes.allowed} allowed, ${outcomes.denied} denied\n`,
    );
  });

  it('keeps each institution to its own work, without revealing the other’s', async () => {
    const recommendationId = await createRecommendation(stack, '143.9');
    const action = await createAssignedAction(
      stack,
      recommendationId,
      new Date(Date.now() + 30 * 86_400_000),
    );
    const justice = bearer(tokens.get('focal.justice'));
    const interior = bearer(tokens.get('focal.interior'));
    const actions = stack.url('actions');

    expect((await http('GET', `${actions}/actions/${action.id}`, undefined, justice)).status).toBe(200);
    expect((await http('GET', `${actions}/actions/${action.id}`, undefined, interior)).status).toBe(404);
    const listed = await http('GET', `${actions}/actions?limit=100`, undefined, interior);
    expect(listed.body.items.map((item: { id: string }) => item.id)).not.toContain(action.id);
    const report = { status: 'in_progress', note: 'Working group set up' };
    expect((await http('POST', `${actions}/actions/${action.id}/progress`, report, interior)).status).toBe(
      404,
    );
    expect((await http('POST', `${actions}/actions/${action.id}/progress`, report, justice)).status).toBe(
      201,
    );

    const notifications = stack.url('notifications');
    const justiceInbox = `${notifications}/institutions/${encodeURIComponent(MINISTRY)}/inbox`;
    expect((await http('GET', justiceInbox, undefined, interior)).status).toBe(404);
    const item = await waitFor('the assignment notification', async () =>
      (await inbox(stack)).items.find((entry) => entry.actionId === action.id),
    );
    expect((await http('POST', `${notifications}/notifications/${item.id}/read`, {}, interior)).status).toBe(
      404,
    );
    expect((await http('GET', `${notifications}/deadlines/${action.id}`, undefined, interior)).status).toBe(
      404,
    );
    expect((await http('GET', `${notifications}/deadlines/${action.id}`, undefined, justice)).status).toBe(
      200,
    );

    // The progress report carries the focal point's identity from the token.
    const history = await http('GET', `${actions}/actions/${action.id}/progress`, undefined, justice);
    expect(history.status).toBe(200);
  });
});

// The audit trail across the four services: one change in each is found at GET /audit with the
// actor of the token that made it, refusals are recorded, and `npm run audit:verify` finds every
// chain intact afterwards.
import { bearer, demoToken, http, Stack, waitFor, type DemoUser } from '@nmirf/testing';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createAssignedAction, createRecommendation, inbox } from './helpers';

type Service = 'recommendations' | 'actions' | 'notifications' | 'reporting';

async function subjectOf(user: DemoUser): Promise<string> {
  const token = await demoToken(user);
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub as string;
}

describe('audit trail, on the services as processes', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'audit' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function trail(service: Service, query: Record<string, string>) {
    const response = await http('GET', `${stack.url(service)}/audit?${new URLSearchParams(query)}`);
    expect(response.status).toBe(200);
    return response.body.items as Array<{
      seq: number;
      entity: string;
      entityId: string;
      action: string;
      outcome: string;
      actor: { kind: string; id: string; name: string | null; institution: string | null };
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
      correlationId: string | null;
      userAgent: string | null;
      detail: string | null;
    }>;
  }

  it('finds one change per service with the token’s actor, and the refusals', async () => {
    const coordinator = await subjectOf('coordinator');
    const focal = await subjectOf('focal.justice');

    // recommendations: the coordinator records one.
    const recommendationId = await createRecommendation(stack);
    const [created] = await trail('recommendations', {
      entity: 'recommendations',
      entityId: recommendationId,
    });
    expect(created).toMatchObject({
      action: 'insert',
      outcome: 'applied',
      actor: { kind: 'user', id: coordinator },
      before: null,
    });
    expect(created.after).toMatchObject({ id: recommendationId, paragraph: '143.1' });

    // actions: the coordinator creates and assigns; the ministry's focal point reports progress.
    const action = await createAssignedAction(
      stack,
      recommendationId,
      new Date(Date.now() + 30 * 86_400_000),
    );
    const progress = await http(
      'POST',
      `${stack.url('actions')}/actions/${action.id}/progress`,
      { status: 'in_progress', note: 'Drafting started' },
      { ...bearer(await demoToken('focal.justice')), 'x-correlation-id': 'audit-e2e-progress' },
    );
    expect(progress.status).toBe(201);
    const actionTrail = await trail('actions', { entity: 'actions', entityId: action.id });
    // Newest first: the focal point's progress, after the coordinator's creation (and assignment).
    expect(actionTrail[0].actor.id).toBe(focal);
    expect(actionTrail.at(-1)).toMatchObject({ action: 'insert', actor: { id: coordinator } });
    expect(actionTrail.slice(1).every((record) => record.actor.id === coordinator)).toBe(true);
    expect(actionTrail[0]).toMatchObject({
      before: { status: 'assigned' },
      after: { status: 'in_progress' },
      correlationId: 'audit-e2e-progress',
      actor: { kind: 'user', id: focal, institution: expect.any(String) },
    });

    // notifications: the focal point marks the assignment notice read.
    const notice = await waitFor('the assignment notice', async () =>
      (await inbox(stack)).items.find(
        (item) => item.kind === 'action_assigned' && item.actionId === action.id,
      ),
    );
    const read = await http(
      'POST',
      `${stack.url('notifications')}/notifications/${notice.id}/read`,
      undefined,
      {
        ...bearer(await demoToken('focal.justice')),
        'user-agent': 'audit-e2e/1',
      },
    );
    expect(read.status).toBeLessThan(300);
    const [marked] = await trail('notifications', {
      entity: 'notifications',
      entityId: notice.id,
      action: 'update',
    });
    expect(marked).toMatchObject({
      actor: { id: focal },
      before: { read_at: null },
      userAgent: 'audit-e2e/1',
    });
    // What the consumer wrote on its own is the service's, caused by the event.
    const [delivered] = await trail('notifications', {
      entity: 'notifications',
      entityId: notice.id,
      action: 'insert',
    });
    expect(delivered.actor.kind).toBe('service');

    // reporting: the coordinator asks for a report.
    const report = await http('POST', `${stack.url('reporting')}/reports`, {
      kind: 'action-progress',
      format: 'csv',
    });
    expect(report.status).toBe(202);
    const [requested] = await trail('reporting', {
      entity: 'reports',
      entityId: report.body.id,
      action: 'insert',
    });
    expect(requested).toMatchObject({ actor: { kind: 'user', id: coordinator } });

    // Refusals: a civil-society user may not create actions (403); nobody anonymous may (401).
    const cso = await subjectOf('cso');
    expect(
      (await http('POST', `${stack.url('actions')}/actions`, {}, bearer(await demoToken('cso')))).status,
    ).toBe(403);
    expect((await http('POST', `${stack.url('actions')}/actions`, {}, bearer())).status).toBe(401);
    const refused = await trail('actions', { outcome: 'refused' });
    expect(refused.slice(0, 2).map((record) => [record.action, record.actor.id, record.entityId])).toEqual([
      ['sign-in.refused', 'anonymous', 'POST /actions'],
      ['access.refused', cso, 'POST /actions'],
    ]);

    // Only the secretariat and admins read the trail.
    const denied = await http(
      'GET',
      `${stack.url('actions')}/audit`,
      undefined,
      bearer(await demoToken('focal.justice')),
    );
    expect(denied.status).toBe(403);
  });

  it('leaves every service’s chain intact for audit:verify', async () => {
    const verify = await promisify(execFile)('node', [
      join(__dirname, '../../infra/scripts/audit-verify.mjs'),
      '--database-url',
      stack.env.DATABASE_URL,
    ]);
    for (const schema of ['actions', 'notifications', 'recommendations', 'reporting'])
      expect(verify.stdout).toMatch(
        new RegExp(`^${schema}: \\d+ record\\(s\\), chain intact, head [0-9a-f]{64}$`, 'm'),
      );
  });
});

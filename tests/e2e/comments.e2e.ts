// Comments on an action across the services as processes: the coordinator comments mentioning a
// focal point of the supporting ministry; the mention reaches that ministry's inbox addressed to them,
// the lead ministry hears of the comment, and a reply mentioning the coordinator reaches the secretariat.
import { bearer, demoToken, http, Stack, waitFor, type DemoUser } from '@nmirf/testing';
import { createRecommendation, inbox, MINISTRY } from './helpers';

const INTERIOR = 'Ministry of Interior';
const SECRETARIAT = 'NMIRF Secretariat';

async function subjectOf(user: DemoUser): Promise<string> {
  const token = await demoToken(user);
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub as string;
}

describe('comments and mentions on an action', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ name: 'comments' });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const actions = (path: string) => `${stack.url('actions')}${path}`;
  const as = async (user: DemoUser, extra: Record<string, string> = {}) => ({
    ...bearer(await demoToken(user)),
    ...extra,
  });

  it('turns a mention into one notification addressed to the person, and tells the other side', async () => {
    const recommendationId = await createRecommendation(stack, '143.77');
    const action = await waitFor('the action to be created', async () => {
      const created = await http('POST', actions('/actions'), {
        recommendationId,
        title: 'Train border police on non-refoulement',
      });
      if (created.status === 422) return undefined; // the recommendation is still on its way
      expect(created.status).toBe(201);
      return created.body as { id: string };
    });
    const read = await http('GET', actions(`/actions/${action.id}`));
    const assigned = await http(
      'POST',
      actions(`/actions/${action.id}/assign`),
      {
        institution: MINISTRY,
        supportingInstitutions: [INTERIOR],
        dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      },
      { 'if-match': `"${read.body.version}"` },
    );
    expect(assigned.status).toBe(200);

    // The directory names the Interior focal point: that is who may be mentioned.
    const focalInterior = await subjectOf('focal.interior');
    const entry = await http('GET', actions(`/institutions/${encodeURIComponent(INTERIOR)}`));
    expect(entry.status).toBe(200);
    const { kind, parentId, names, acronym, validatorIds } = entry.body;
    const updated = await http(
      'PUT',
      actions(`/institutions/${encodeURIComponent(INTERIOR)}`),
      { kind, parentId, names, acronym, validatorIds, focalPointIds: [focalInterior] },
      { 'if-match': `"${entry.body.version}"` },
    );
    expect(updated.status).toBe(200);

    // A mention of someone who cannot see the action is refused, naming it.
    const health = await http('POST', actions(`/actions/${action.id}/comments`), {
      text: 'Can Health join?',
      mentions: [{ kind: 'institution', id: 'Ministry of Health' }],
    });
    expect(health.status).toBe(422);
    expect(health.body.errors[0].field).toBe('mentions.0');

    const posted = await http('POST', actions(`/actions/${action.id}/comments`), {
      text: 'Please share the training curriculum before the next meeting.',
      mentions: [{ kind: 'user', id: focalInterior }],
    });
    expect(posted.status).toBe(201);

    const mention = await waitFor('the mention in the Interior inbox', async () =>
      (await inbox(stack, INTERIOR)).items.find(
        (item) => item.actionId === action.id && item.kind === 'comment_mention',
      ),
    );
    expect(mention).toMatchObject({
      recipientUserId: focalInterior,
      params: {
        title: 'Train border police on non-refoulement',
        commentId: posted.body.id,
        excerpt: 'Please share the training curriculum before the next meeting.',
        authorRole: 'coordinator',
        mentionedAs: 'user',
      },
    });
    const lead = await waitFor('the lead’s notice of the comment', async () =>
      (await inbox(stack, MINISTRY)).items.find(
        (item) => item.actionId === action.id && item.kind === 'comment_posted',
      ),
    );
    expect(lead.params).toMatchObject({ commentId: posted.body.id });

    // The supporting ministry reads the thread and answers, naming the coordinator.
    const thread = await http(
      'GET',
      actions(`/actions/${action.id}/comments`),
      undefined,
      await as('focal.interior'),
    );
    expect(thread.status).toBe(200);
    expect(thread.body.items.map((item: { id: string }) => item.id)).toEqual([posted.body.id]);
    const reply = await http(
      'POST',
      actions(`/actions/${action.id}/comments`),
      { text: 'Attached to our progress report.', mentions: [{ kind: 'coordinator' }] },
      await as('focal.interior'),
    );
    expect(reply.status).toBe(201);
    const secretariat = await waitFor('the coordinator’s mention', async () =>
      (await inbox(stack, SECRETARIAT)).items.find(
        (item) => item.actionId === action.id && item.kind === 'comment_mention',
      ),
    );
    expect(secretariat.params).toMatchObject({ authorInstitution: INTERIOR, mentionedAs: 'coordinator' });

    // Exactly one notification per inbox and comment; nobody else hears of them.
    const ofAction = async (institution: string) =>
      (await inbox(stack, institution)).items
        .filter((item) => item.actionId === action.id && item.kind.startsWith('comment_'))
        .map((item) => item.kind);
    expect(await ofAction(INTERIOR)).toEqual(['comment_mention']);
    expect(await ofAction(MINISTRY)).toEqual(['comment_posted']);
    expect(await ofAction(SECRETARIAT)).toEqual(['comment_mention']);
    expect(await ofAction('Ministry of Health')).toEqual([]);

    // Civil society and the NHRI have no part in the government's internal thread.
    for (const user of ['cso', 'nhri'] as const)
      expect(
        (await http('GET', actions(`/actions/${action.id}/comments`), undefined, await as(user))).status,
      ).toBe(403);
  });
});

import { Test } from '@nestjs/testing';
import { buildEnvelope, decodeEnvelope, encodeEnvelope, type EventEnvelope } from '@nmirf/contracts';
import { PermanentEventError, serviceDataSourceOptions, type EventContext } from '@nmirf/platform';
import { requireInfrastructure } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Notification } from '../inbox/notification.entity';
import { ALERT_SETTINGS } from '../reminders/alert-settings';
import { createMigratedDatabase } from '../testing/integration';
import { CommentEventsHandler } from './comment-events.handler';
import { CommentFollowUp } from './comment-follow-up';

jest.setTimeout(60_000);

const SECRETARIAT = 'NMIRF Secretariat';
const JUSTICE = 'Ministry of Justice';
const INTERIOR = 'Ministry of Interior';

type Mention = { kind: string; userId?: string; institutionId?: string };

describe('comments into inboxes (real PostgreSQL)', () => {
  let drop: () => Promise<void>;
  let dataSource: DataSource;
  let handler: CommentEventsHandler;

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    const database = await createMigratedDatabase();
    drop = database.drop;
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    const module = await Test.createTestingModule({
      controllers: [CommentEventsHandler],
      providers: [
        CommentFollowUp,
        { provide: ALERT_SETTINGS, useValue: { coordinatorInstitution: SECRETARIAT } },
      ],
    }).compile();
    handler = module.get(CommentEventsHandler);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await drop?.();
  });

  function commentPosted(
    actionId: string,
    change: { authorRole?: string; authorId?: string; authorInstitutionId?: string; mentions?: Mention[] },
  ): EventEnvelope {
    return buildEnvelope({
      eventId: randomUUID(),
      case: 'commentPosted',
      aggregateId: actionId,
      occurredAt: new Date(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { kind: 'user', id: change.authorId ?? 'coordinator-1' },
      payload: {
        commentId: randomUUID(),
        actionId,
        actionTitle: 'Train judges on the Convention',
        authorId: change.authorId ?? 'coordinator-1',
        authorName: 'Ana Novak',
        authorRole: change.authorRole ?? 'coordinator',
        authorInstitutionId: change.authorInstitutionId ?? '',
        leadInstitutionId: JUSTICE,
        supportingInstitutionIds: [INTERIOR],
        mentions: (change.mentions ?? []).map((mention) => ({
          $typeName: 'nmirf.events.v1.CommentMention' as const,
          kind: mention.kind,
          userId: mention.userId ?? '',
          institutionId: mention.institutionId ?? '',
        })),
        excerpt: 'Please send the attendance lists.',
      },
    });
  }

  /** Delivers the event as the consumer would: off the wire, in a transaction. */
  async function deliver(envelope: EventEnvelope): Promise<void> {
    const received = decodeEnvelope(encodeEnvelope(envelope), envelope.aggregateId);
    await dataSource.transaction((manager) =>
      handler.onCommentPosted(received, { manager } as unknown as EventContext),
    );
  }

  const inboxes = async (actionId: string) =>
    (await dataSource.manager.find(Notification, { where: { actionId }, order: { institution: 'ASC' } })).map(
      ({ institution, kind, recipientUserId, params }) => ({ institution, kind, recipientUserId, params }),
    );

  it('writes exactly one notification for a mention, addressed to the user, and none more on redelivery', async () => {
    const actionId = randomUUID();
    const event = commentPosted(actionId, {
      authorRole: 'institution',
      authorId: 'focal-justice-1',
      authorInstitutionId: JUSTICE,
      mentions: [{ kind: 'user', userId: 'focal-interior-1', institutionId: INTERIOR }],
    });
    await deliver(event);
    const after = await inboxes(actionId);
    expect(after).toEqual([
      {
        institution: INTERIOR,
        kind: 'comment_mention',
        recipientUserId: 'focal-interior-1',
        params: expect.objectContaining({
          title: 'Train judges on the Convention',
          excerpt: 'Please send the attendance lists.',
          authorName: 'Ana Novak',
          authorRole: 'institution',
          authorInstitution: JUSTICE,
          mentionedAs: 'user',
        }),
      },
      // An institution's comment: the coordinator hears of it.
      {
        institution: SECRETARIAT,
        kind: 'comment_posted',
        recipientUserId: null,
        params: expect.not.objectContaining({ mentionedAs: expect.anything() }),
      },
    ]);
    await deliver(event);
    expect(await inboxes(actionId)).toEqual(after);
  });

  it('tells the lead of the coordinator’s comment once, even when it also mentions the lead and one of its people', async () => {
    const actionId = randomUUID();
    await deliver(
      commentPosted(actionId, {
        mentions: [
          { kind: 'institution', institutionId: JUSTICE },
          { kind: 'user', userId: 'validator-justice-1', institutionId: JUSTICE },
        ],
      }),
    );
    expect(
      (await inboxes(actionId)).map(({ institution, kind, recipientUserId }) => [
        institution,
        kind,
        recipientUserId,
      ]),
    ).toEqual([
      [JUSTICE, 'comment_mention', null],
      [JUSTICE, 'comment_mention', 'validator-justice-1'],
    ]);
    // A coordinator's comment with no mention: the lead's inbox.
    const plain = randomUUID();
    await deliver(commentPosted(plain, {}));
    expect((await inboxes(plain)).map(({ institution, kind }) => [institution, kind])).toEqual([
      [JUSTICE, 'comment_posted'],
    ]);
  });

  it('sends a malformed event to the dead-letter topic without writing anything', async () => {
    const actionId = randomUUID();
    const bad = commentPosted(actionId, { mentions: [{ kind: 'everyone' }] });
    await expect(deliver(bad)).rejects.toBeInstanceOf(PermanentEventError);
    expect(await inboxes(actionId)).toEqual([]);
  });
});

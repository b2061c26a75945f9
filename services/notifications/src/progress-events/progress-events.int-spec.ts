import { Test } from '@nestjs/testing';
import { buildEnvelope, decodeEnvelope, encodeEnvelope, type EventEnvelope } from '@nmirf/contracts';
import { PermanentEventError, serviceDataSourceOptions, type EventContext } from '@nmirf/platform';
import { requireInfrastructure } from '@nmirf/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Deadline } from '../deadlines/deadline.entity';
import { Delivery } from '../email/delivery.entity';
import { Notification } from '../inbox/notification.entity';
import { InstitutionPeople } from '../recipients/institution-people.entity';
import { RecipientProfile } from '../recipients/recipient-profile.entity';
import { ALERT_SETTINGS } from '../reminders/alert-settings';
import { createMigratedDatabase } from '../testing/integration';
import { ProgressEventsHandler } from './progress-events.handler';
import { ProgressFollowUp } from './progress-follow-up';

jest.setTimeout(60_000);

const SECRETARIAT = 'NMIRF Secretariat';
const JUSTICE = 'Ministry of Justice';

describe('progress reports’ review into inboxes and mails (real PostgreSQL)', () => {
  let drop: () => Promise<void>;
  let dataSource: DataSource;
  let handler: ProgressEventsHandler;

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    const database = await createMigratedDatabase();
    drop = database.drop;
    dataSource = await new DataSource(serviceDataSourceOptions(database.options)).initialize();
    const module = await Test.createTestingModule({
      controllers: [ProgressEventsHandler],
      providers: [
        ProgressFollowUp,
        { provide: ALERT_SETTINGS, useValue: { coordinatorInstitution: SECRETARIAT } },
      ],
    }).compile();
    handler = module.get(ProgressEventsHandler);
    // Justice: a focal point and a validator; the secretariat: the coordinator. All have an address.
    await dataSource.manager.save(InstitutionPeople, [
      {
        institutionId: JUSTICE,
        focalPointIds: ['focal-justice'],
        validatorIds: ['validator-justice'],
        names: {},
      },
      { institutionId: SECRETARIAT, focalPointIds: ['coordinator-1'], validatorIds: [], names: {} },
    ]);
    await dataSource.manager.save(
      RecipientProfile,
      ['focal-justice', 'validator-justice', 'coordinator-1'].map((subject) => ({
        subject,
        email: `${subject}@example.org`,
        language: 'fr' as const,
        timeZone: 'Europe/Paris',
        source: 'provisioned' as const,
      })),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await drop?.();
  });

  async function actionWithDeadline(): Promise<string> {
    const actionId = randomUUID();
    await dataSource.manager.insert(Deadline, {
      actionId,
      institution: JUSTICE,
      title: 'Train judges on the Convention',
      dueAt: new Date('2027-03-15T00:00:00Z'),
      open: true,
    });
    return actionId;
  }

  function transitioned(
    actionId: string,
    change: { status: string; comments?: string; reportId?: string },
  ): EventEnvelope {
    const reportId = change.reportId ?? randomUUID();
    return buildEnvelope({
      eventId: randomUUID(),
      case: 'progressReportTransitioned',
      aggregateId: reportId,
      occurredAt: new Date(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      actor: { kind: 'user', id: 'someone' },
      payload: {
        reportId,
        actionId,
        institutionId: JUSTICE,
        transition: `progress_report.${change.status}.v1`,
        status: change.status,
        final: false,
        percentage: 40,
        comments: change.comments ?? '',
        version: 2,
      },
    });
  }

  /** Delivers the event as the consumer would: off the wire, in a transaction. */
  async function deliver(envelope: EventEnvelope): Promise<void> {
    const received = decodeEnvelope(encodeEnvelope(envelope), envelope.aggregateId);
    await dataSource.transaction((manager) =>
      handler.onReportTransitioned(received, { manager } as unknown as EventContext),
    );
  }

  async function inboxes(actionId: string) {
    const notifications = await dataSource.manager.find(Notification, {
      where: { actionId },
      order: { createdAt: 'ASC' },
    });
    const deliveries = await dataSource.manager.find(Delivery, {
      where: notifications.map(({ id }) => ({ notificationId: id })),
    });
    return notifications.map(({ id, institution, kind, params }) => ({
      institution,
      kind,
      params,
      mailedTo: deliveries
        .filter((delivery) => delivery.notificationId === id)
        .map((delivery) => [delivery.recipientSubject, delivery.status]),
    }));
  }

  it('asks the validators of a submitted report by mail, once however often the event comes', async () => {
    const actionId = await actionWithDeadline();
    const submitted = transitioned(actionId, { status: 'submitted' });
    await deliver(submitted);
    const after = await inboxes(actionId);
    expect(after).toEqual([
      {
        institution: JUSTICE,
        kind: 'validation_requested',
        params: expect.objectContaining({
          title: 'Train judges on the Convention',
          institution: JUSTICE,
          rung: 'institution_validator',
        }),
        mailedTo: [['validator-justice', 'pending']],
      },
    ]);
    await deliver(submitted);
    expect(await inboxes(actionId)).toEqual(after);
  });

  it('asks the coordinator after the validator, and mails the focal points a return with its reason', async () => {
    const actionId = await actionWithDeadline();
    const reportId = randomUUID();
    await deliver(transitioned(actionId, { status: 'approved_by_validator', reportId }));
    await deliver(
      transitioned(actionId, {
        status: 'returned_by_coordinator',
        reportId,
        comments: 'Attach the attendance lists.',
      }),
    );
    await deliver(transitioned(actionId, { status: 'draft', reportId }));
    expect(await inboxes(actionId)).toEqual([
      {
        institution: SECRETARIAT,
        kind: 'validation_requested',
        params: expect.objectContaining({ reportId, rung: 'coordinator' }),
        mailedTo: [['coordinator-1', 'pending']],
      },
      {
        institution: JUSTICE,
        kind: 'returned_for_changes',
        params: expect.objectContaining({
          reportId,
          returnedBy: 'coordinator',
          reason: 'Attach the attendance lists.',
        }),
        mailedTo: [['focal-justice', 'pending']],
      },
    ]);
  });

  it('sends a malformed event to the dead-letter topic without writing anything', async () => {
    const actionId = await actionWithDeadline();
    await expect(deliver(transitioned(actionId, { status: 'lost' }))).rejects.toBeInstanceOf(
      PermanentEventError,
    );
    expect(await inboxes(actionId)).toEqual([]);
  });
});

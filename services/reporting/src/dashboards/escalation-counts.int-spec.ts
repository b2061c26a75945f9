import { ActionStatus, timestampFromDate, type PayloadInit } from '@nmirf/contracts';
import type { Principal } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { startReportingFixture, type ReportingFixture } from '../testing/reporting-fixture';
import { EscalationCounts } from './escalation-counts';

jest.setTimeout(60_000);

const JUSTICE = 'ministry-of-justice';
const HEALTH = 'ministry-of-health';
const person = (roles: string[], institutions: string[]): Principal => ({
  subject: randomUUID(),
  name: 'someone',
  kind: 'user',
  roles: new Set(roles) as Principal['roles'],
  institutions,
  scopes: new Set(),
});

describe('escalation counts from ActionEscalated (real PostgreSQL)', () => {
  let fixture: ReportingFixture;
  let counts: EscalationCounts;
  const [justiceAction, healthAction, otherJusticeAction] = [randomUUID(), randomUUID(), randomUUID()];
  const dueAt = new Date('2026-10-01T00:00:00Z');

  const action = (id: string, lead: string): PayloadInit<'actionChanged'> => ({
    actionId: id,
    planId: '',
    title: `Action ${id.slice(0, 4)}`,
    description: '',
    leadInstitutionId: lead,
    supportingInstitutionIds: [],
    recommendationIds: [randomUUID()],
    sdgTargets: [],
    startDate: '',
    milestones: [],
    budgetLine: '',
    status: ActionStatus.IN_PROGRESS,
    version: 2,
  });
  const rungs = ['focal_point', 'institution_validator', 'coordinator'];
  const escalated = (actionId: string, institution: string, step: number) =>
    fixture.feed('actionEscalated', actionId, {
      notificationId: randomUUID(),
      actionId,
      institution,
      dueAt: timestampFromDate(dueAt),
      step,
      rung: rungs[step - 1],
      notifiedInstitution: step === 3 ? 'NMIRF Secretariat' : institution,
    });

  beforeAll(async () => {
    fixture = await startReportingFixture();
    counts = new EscalationCounts(fixture.dataSource);
    await fixture.feed('actionChanged', justiceAction, action(justiceAction, JUSTICE));
    await fixture.feed('actionChanged', healthAction, action(healthAction, HEALTH));
    await fixture.feed('actionChanged', otherJusticeAction, action(otherJusticeAction, JUSTICE));
    for (const step of [1, 2, 3]) await escalated(justiceAction, 'Ministry of Justice', step);
    await escalated(otherJusticeAction, 'Ministry of Justice', 1);
    await escalated(healthAction, 'Ministry of Health', 1);
    // The same step delivered again counts once.
    await escalated(justiceAction, 'Ministry of Justice', 2);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  it('counts each step once per institution and rung for the coordinator', async () => {
    expect(await counts.byInstitution(person(['coordinator'], []))).toEqual({
      scope: 'all',
      total: 5,
      institutions: [
        {
          institutionId: JUSTICE,
          institution: 'Ministry of Justice',
          escalations: 4,
          actions: 2,
          byRung: { focal_point: 2, institution_validator: 1, coordinator: 1 },
        },
        {
          institutionId: HEALTH,
          institution: 'Ministry of Health',
          escalations: 1,
          actions: 1,
          byRung: { focal_point: 1, institution_validator: 0, coordinator: 0 },
        },
      ],
    });
  });

  it('shows a focal point the escalations of their own institution only', async () => {
    const view = await counts.byInstitution(person(['focal_point'], [HEALTH]));
    expect(view.scope).toBe('institutions');
    expect(view.institutions.map((entry) => entry.institutionId)).toEqual([HEALTH]);
    expect(view.total).toBe(1);
  });
});

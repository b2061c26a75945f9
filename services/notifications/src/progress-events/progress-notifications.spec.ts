import {
  PROGRESS_REPORT_STATUSES,
  planProgressNotifications,
  type ProgressReportStatus,
  type ProgressReportTransitionFacts,
} from './progress-notifications';
import { mailKindOf } from '../email/mail-kinds';
import { PROGRESS_MESSAGES, progressMessageKey } from './progress-messages';

const SECRETARIAT = 'NMIRF Secretariat';
const JUSTICE = 'Ministry of Justice';

const event = (change: Partial<ProgressReportTransitionFacts> = {}): ProgressReportTransitionFacts => ({
  eventId: 'event-1',
  reportId: 'report-1',
  actionId: 'action-1',
  institutionId: JUSTICE,
  status: 'submitted',
  final: false,
  percentage: 40,
  comments: '',
  ...change,
});

const plan = (facts: ProgressReportTransitionFacts, coordinator = SECRETARIAT) =>
  planProgressNotifications(facts, 'Train judges on the Convention', coordinator, () => 'n1').map(
    ({ institution, kind, params, recipientUserId }) => ({
      institution,
      kind,
      recipient: recipientUserId ?? null,
      who: 'rung' in params ? params.rung : 'returnedBy' in params ? params.returnedBy : undefined,
    }),
  );

describe('who hears of a step of a progress report’s review', () => {
  it('asks the reporting institution’s validators to validate a submitted report', () => {
    expect(plan(event({ status: 'submitted' }))).toEqual([
      { institution: JUSTICE, kind: 'validation_requested', recipient: null, who: 'institution_validator' },
    ]);
  });

  it('asks the coordinator once the validator approved it', () => {
    expect(plan(event({ status: 'approved_by_validator' }))).toEqual([
      { institution: SECRETARIAT, kind: 'validation_requested', recipient: null, who: 'coordinator' },
    ]);
    // No coordinator configured: nobody to ask.
    expect(plan(event({ status: 'approved_by_validator' }), '')).toEqual([]);
  });

  it('tells the reporting institution of a report returned by either reviewer', () => {
    expect(plan(event({ status: 'returned_by_validator', comments: 'Attach the lists.' }))).toEqual([
      { institution: JUSTICE, kind: 'returned_for_changes', recipient: null, who: 'institution_validator' },
    ]);
    expect(plan(event({ status: 'returned_by_coordinator', comments: 'Attach the lists.' }))).toEqual([
      { institution: JUSTICE, kind: 'returned_for_changes', recipient: null, who: 'coordinator' },
    ]);
  });

  it('tells nobody of a draft or an accepted report', () => {
    const quiet: ProgressReportStatus[] = ['draft', 'accepted_by_coordinator'];
    for (const status of quiet) expect([status, plan(event({ status }))]).toEqual([status, []]);
    const loud = PROGRESS_REPORT_STATUSES.filter((status) => !quiet.includes(status));
    for (const status of loud) expect([status, plan(event({ status })).length]).toEqual([status, 1]);
  });

  it('keeps data only in the params, the reviewer’s reason as written, and is mailed', () => {
    const [returned] = planProgressNotifications(
      event({ status: 'returned_by_coordinator', comments: '  Attach the attendance lists.\n', final: true }),
      'Train judges on the Convention',
      SECRETARIAT,
      () => 'n1',
    );
    expect(returned).toEqual({
      id: 'n1',
      actionId: 'action-1',
      sourceEventId: 'event-1',
      institution: JUSTICE,
      kind: 'returned_for_changes',
      params: {
        title: 'Train judges on the Convention',
        reportId: 'report-1',
        institution: JUSTICE,
        final: true,
        percentage: 40,
        returnedBy: 'coordinator',
        reason: 'Attach the attendance lists.',
      },
    });
    // A return without comments (an older producer) carries no empty reason.
    const [bare] = planProgressNotifications(
      event({ status: 'returned_by_validator', comments: ' ' }),
      'Train judges on the Convention',
      SECRETARIAT,
      () => 'n2',
    );
    expect(bare.params).not.toHaveProperty('reason');
    expect([mailKindOf('validation_requested'), mailKindOf('returned_for_changes')]).toEqual([
      'validation_requested',
      'returned_for_changes',
    ]);
  });

  it('has an inbox text for each kind and reviewer, and for the reason, in all six languages', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    const keys = [
      ...(['validation_requested', 'returned_for_changes'] as const).flatMap((kind) =>
        (['institution_validator', 'coordinator'] as const).map((by) => progressMessageKey(kind, by)),
      ),
      'returned_for_changes.reason',
    ].sort();
    expect(Object.keys(PROGRESS_MESSAGES.en).sort()).toEqual(keys);
    expect(placeholders(PROGRESS_MESSAGES.en['returned_for_changes.reason'])).toEqual(['{reason}']);
    for (const [lang, catalogue] of Object.entries(PROGRESS_MESSAGES)) {
      expect([lang, Object.keys(catalogue).sort()]).toEqual([lang, keys]);
      for (const key of keys) {
        expect([lang, key, placeholders(catalogue[key])]).toEqual([
          lang,
          key,
          placeholders(PROGRESS_MESSAGES.en[key]),
        ]);
        expect(placeholders(catalogue[key])).toContain(key.endsWith('.reason') ? '{reason}' : '{title}');
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  coordinatorSteps,
  institutionIdOf,
  validateAction,
  validateIndicator,
  validateInstitution,
  validatePlan,
} from './forms';
import { validateImportForm } from './import-form';
import { reportRequest, type ReportDraft } from './report-form';
import { awaitingReview, type QueueItem } from './ReviewQueue';

const today = new Date(2026, 10, 30, 12);

describe('the action form', () => {
  it('asks for a title, a lead and a due date not in the past', () => {
    expect(validateAction({ title: ' ', lead: '', supporting: [], dueDate: '' }, today)).toEqual({
      title: 'coord.action.titleRequired',
      lead: 'coord.action.leadRequired',
      dueDate: 'coord.action.dueRequired',
    });
    expect(
      validateAction(
        { title: 'Train judges', lead: 'Ministry of Justice', supporting: [], dueDate: '2026-11-29' },
        today,
      ),
    ).toEqual({ dueDate: 'coord.action.duePast' });
    expect(
      validateAction(
        {
          title: 'Train judges',
          lead: 'Ministry of Justice',
          supporting: ['Ministry of Interior'],
          dueDate: '2026-11-30',
        },
        today,
      ),
    ).toEqual({});
  });
});

describe('the plan form', () => {
  it('needs an ISO State and a period that ends after it starts', () => {
    expect(
      validatePlan({
        title: 'Plan',
        state: 'Slovenia',
        kind: 'upr_cycle',
        periodStart: '2026-01-01',
        periodEnd: '2025-01-01',
      }),
    ).toEqual({ state: 'coord.plan.stateInvalid', periodEnd: 'coord.plan.endBeforeStart' });
    expect(
      validatePlan({
        title: 'Plan',
        state: 'svn',
        kind: 'upr_cycle',
        periodStart: '2025-01-01',
        periodEnd: '2029-12-31',
      }),
    ).toEqual({});
  });
});

describe('the indicator form', () => {
  it('needs numbers for the values and a target after the baseline', () => {
    const draft = {
      name: 'Judges trained',
      type: 'process',
      unit: 'judges',
      baselineValue: 'none',
      baselineDate: '2026-01-01',
      targetValue: '300',
      targetDate: '2025-12-31',
      frequency: 'quarterly',
      dataSource: 'Judicial Training Centre',
    };
    expect(validateIndicator(draft)).toEqual({
      baselineValue: 'coord.indicator.numberRequired',
      targetDate: 'coord.indicator.targetAfterBaseline',
    });
    expect(validateIndicator({ ...draft, baselineValue: '0', targetDate: '2027-12-31' })).toEqual({});
  });
});

describe('the import form', () => {
  it('needs a file of a kind the importer reads, and a session from 1 to 200', () => {
    expect(validateImportForm({ file: null, session: '' })).toEqual({ file: 'coord.import.fileRequired' });
    const matrix = new File(['x'], 'slovenia.docx');
    expect(validateImportForm({ file: new File(['x'], 'notes.pdf'), session: '0' })).toEqual({
      file: 'coord.import.fileType',
      session: 'coord.import.sessionInvalid',
    });
    expect(validateImportForm({ file: matrix, session: '34' })).toEqual({});
  });
});

describe('a report request', () => {
  const draft: ReportDraft = {
    kind: 'upr-annex',
    format: 'docx',
    language: 'ar',
    state: 'svn',
    cycle: '3',
    institution: 'Ministry of Justice',
    committee: '',
    documentSymbol: '',
    paragraphs: '',
    groupBy: 'theme',
  };

  it('sends only the parameters its kind takes', () => {
    expect(reportRequest(draft)).toEqual({
      body: { kind: 'upr-annex', format: 'docx', language: 'ar', state: 'SVN', cycle: 3, groupBy: 'theme' },
      errors: {},
    });
    expect(reportRequest({ ...draft, kind: 'task-list', format: 'pdf' }).body).toEqual({
      kind: 'task-list',
      format: 'pdf',
      language: 'ar',
      institution: 'Ministry of Justice',
    });
  });

  it('names the fields a kind needs and lacks', () => {
    expect(reportRequest({ ...draft, state: '', cycle: '21' })).toEqual({
      errors: { state: 'coord.plan.stateInvalid', cycle: 'coord.reports.cycleInvalid' },
    });
    expect(
      reportRequest({
        ...draft,
        kind: 'treaty-follow-up',
        committee: 'cedaw',
        documentSymbol: 'CEDAW/C/SVN/CO/7',
        paragraphs: '14, 28(b)',
      }).body,
    ).toEqual({
      kind: 'treaty-follow-up',
      format: 'docx',
      language: 'ar',
      state: 'SVN',
      committee: 'CEDAW',
      documentSymbol: 'CEDAW/C/SVN/CO/7',
      paragraphs: ['14', '28(b)'],
    });
  });
});

describe('the review queue', () => {
  it('holds the reports a validator approved, the longest waiting first', () => {
    const item = (id: string, status: string, approvedAt: string | null): QueueItem => ({
      action: { id: `action-${id}`, title: id },
      report: {
        id,
        actionId: `action-${id}`,
        institutionId: 'Ministry of Justice',
        status,
        percentage: 50,
        narrative: '',
        final: false,
        createdAt: '2026-11-01T00:00:00Z',
        approvedAt,
        version: 3,
      },
    });
    const queue = awaitingReview([
      item('late', 'approved_by_validator', '2026-11-20T00:00:00Z'),
      item('draft', 'draft', null),
      item('submitted', 'submitted', null),
      item('early', 'approved_by_validator', '2026-11-10T00:00:00Z'),
      item('done', 'accepted_by_coordinator', '2026-11-05T00:00:00Z'),
    ]);
    expect(queue.map((entry) => entry.report.id)).toEqual(['early', 'late']);
  });
});

describe("the coordinator's workflow steps", () => {
  it('follow the action workflow: cancel while open, complete or block in progress, reopen when completed', () => {
    expect(coordinatorSteps('assigned')).toEqual(['cancel']);
    expect(coordinatorSteps('in_progress')).toEqual(['complete', 'block', 'cancel']);
    expect(coordinatorSteps('blocked')).toEqual(['unblock', 'cancel']);
    expect(coordinatorSteps('completed')).toEqual(['reopen']);
    expect(coordinatorSteps('cancelled')).toEqual([]);
  });
});

describe('a new institution', () => {
  const names = { en: '', fr: '', es: '', ru: '', zh: '', ar: '' };
  it('needs its English name, and is known by it unless given an id the directory accepts', () => {
    expect(validateInstitution({ id: '', kind: 'agency', names, acronym: '' })).toEqual({
      nameEn: 'coord.directory.nameRequired',
    });
    const office = { id: '', kind: 'agency', names: { ...names, en: 'Statistical Office' }, acronym: 'SURS' };
    expect(validateInstitution(office)).toEqual({});
    expect(institutionIdOf(office)).toBe('Statistical Office');
    expect(validateInstitution({ ...office, id: 'statistics/office' })).toEqual({
      id: 'coord.directory.idInvalid',
    });
    expect(validateInstitution({ ...office, id: 'Statistični urad' })).toEqual({});
  });
});

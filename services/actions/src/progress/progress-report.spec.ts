import type { ActionState } from '../workflow';
import {
  actorOf,
  contentProblems,
  isFileName,
  maySee,
  maySeeAction,
  workflowStatus,
} from './progress-report';

const action: ActionState = {
  status: 'in_progress',
  lead: 'Ministry of Justice',
  supporting: ['Ministry of Interior'],
};
const actor = (roles: string[], institutions: string[]) => actorOf({ roles: new Set(roles), institutions });

describe('progress report rules', () => {
  it('shows a report to the coordinator and to the reporting institution’s and the lead’s people only', () => {
    const supportingReport = { institutionId: 'Ministry of Interior' };
    const leadReport = { institutionId: 'Ministry of Justice' };
    expect(maySee(actor(['coordinator'], []), action, leadReport)).toBe(true);
    expect(maySee(actor(['focal_point'], ['ministry of justice']), action, supportingReport)).toBe(true);
    expect(maySee(actor(['institution_validator'], ['Ministry of Interior']), action, supportingReport)).toBe(
      true,
    );
    expect(maySee(actor(['focal_point'], ['Ministry of Interior']), action, leadReport)).toBe(false);
    expect(maySee(actor(['focal_point'], ['Ministry of Health']), action, leadReport)).toBe(false);
    // Membership alone is not enough: the role must be one that works on actions.
    expect(maySee(actor(['nhri', 'admin'], ['Ministry of Justice']), action, leadReport)).toBe(false);
  });

  it('shows the action’s reports to its lead and supporting institutions', () => {
    expect(maySeeAction(actor(['focal_point'], ['Ministry of Interior']), action)).toBe(true);
    expect(maySeeAction(actor(['institution_validator'], ['Ministry of Health']), action)).toBe(false);
    expect(maySeeAction(actor(['coordinator'], []), { ...action, lead: null, supporting: [] })).toBe(true);
  });

  it('names each problem of a report’s content', () => {
    expect(contentProblems({ narrative: 'Held two sessions.', percentage: 40, final: false })).toEqual([]);
    expect(contentProblems({ narrative: ' \n ', percentage: 101, final: false })).toEqual([
      expect.stringMatching(/^narrative must be/),
      'percentage must be a whole number from 0 to 100',
    ]);
    expect(contentProblems({ narrative: 'a\u0000b', percentage: 0.5, final: false })).toHaveLength(2);
    expect(contentProblems({ narrative: 'x'.repeat(20_001), percentage: 0, final: false })).toHaveLength(1);
  });

  it('takes file names, never paths', () => {
    expect(isFileName('attendance lists 2026.pdf')).toBe(true);
    for (const name of ['', ' ', '../etc/passwd', 'a\\b.pdf', '..', 'x'.repeat(256)])
      expect(isFileName(name)).toBe(false);
  });

  it('reads statuses from before the workflow as an action not under way', () => {
    expect(workflowStatus('in_progress')).toBe('in_progress');
    expect(workflowStatus('not_started')).toBe('proposed');
  });
});

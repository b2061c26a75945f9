import type { Actor } from './actor';
import type { Command } from './commands';
import { decide, propose, type Decision } from './decide';
import type { WorkflowState } from './states';

const JUSTICE = 'Ministry of Justice';
const INTERIOR = 'Ministry of Interior';
const coordinator: Actor = { roles: ['coordinator'], institutions: [] };
const focal = (institution: string): Actor => ({ roles: ['focal_point'], institutions: [institution] });
const validator = (institution: string): Actor => ({
  roles: ['institution_validator'],
  institutions: [institution],
});

const inProgress: WorkflowState = {
  action: { status: 'in_progress', lead: JUSTICE, supporting: [INTERIOR] },
  report: null,
};
const assigned: WorkflowState = { ...inProgress, action: { ...inProgress.action, status: 'assigned' } };

/** Runs commands in turn, failing on the first refusal; returns the last state and all events. */
function run(state: WorkflowState, steps: [Command, Actor][]) {
  const events: string[] = [];
  for (const [command, actor] of steps) {
    const decision = decide(state, command, actor);
    if (!decision.ok) throw new Error(`${command.type} refused: ${decision.code}`);
    state = decision.state;
    events.push(...decision.events.map((event) => event.type));
  }
  return { state, events };
}
const refusal = (decision: Decision) => (decision.ok ? 'allowed' : decision.code);

describe('the workflow', () => {
  it('takes an action from proposal to completion through a final report', () => {
    const created = propose(coordinator);
    if (!created.ok) throw new Error('not proposed');
    const { state, events } = run(created.state, [
      [{ type: 'assign', lead: JUSTICE, supporting: [INTERIOR] }, coordinator],
      [{ type: 'acknowledge' }, focal(JUSTICE)],
      [{ type: 'start' }, focal(JUSTICE)],
      [{ type: 'submitReport', final: true }, focal(JUSTICE)],
      [{ type: 'approveReport' }, validator(JUSTICE)],
      [{ type: 'acceptReport' }, coordinator],
    ]);
    expect(created.events).toEqual([{ type: 'action.proposed.v1' }]);
    expect(events).toEqual([
      'action.assigned.v1',
      'action.acknowledged.v1',
      'action.started.v1',
      'progress_report.submitted.v1',
      'progress_report.approved.v1',
      'progress_report.accepted.v1',
      'action.completed.v1',
    ]);
    expect(state).toEqual({
      action: { status: 'completed', lead: JUSTICE, supporting: [INTERIOR] },
      report: { status: 'accepted_by_coordinator', institution: JUSTICE, final: true },
    });
  });

  it('lets only the coordinator propose an action', () => {
    expect(refusal(propose(focal(JUSTICE)))).toBe('forbidden');
    expect(refusal(propose({ roles: ['admin'], institutions: [] }))).toBe('forbidden');
  });

  it('hands a declined action back to the coordinator, who reassigns it to another lead', () => {
    const declined = run(assigned, [
      [{ type: 'decline', reason: 'Outside our mandate' }, focal(JUSTICE)],
    ]).state;
    expect(refusal(decide(declined, { type: 'acknowledge' }, focal(JUSTICE)))).toBe('invalid_transition');
    const { state } = run(declined, [
      [{ type: 'assign', lead: INTERIOR, supporting: [] }, coordinator],
      [{ type: 'acknowledge' }, focal(INTERIOR)],
    ]);
    expect(state.action).toEqual({ status: 'acknowledged', lead: INTERIOR, supporting: [] });
    expect(refusal(decide(state, { type: 'start' }, focal(JUSTICE)))).toBe('forbidden');
  });

  it('lets a supporting institution report progress, reviewed by its own validator', () => {
    const { state } = run(inProgress, [
      [{ type: 'submitReport', final: false }, focal(INTERIOR)],
      [{ type: 'returnReport', comments: 'Attach the circular' }, validator(INTERIOR)],
      [{ type: 'submitReport', final: false }, focal(INTERIOR)],
    ]);
    expect(state.report).toEqual({ status: 'submitted', institution: INTERIOR, final: false });
    expect(refusal(decide(state, { type: 'approveReport' }, validator(JUSTICE)))).toBe('forbidden');
    expect(refusal(decide(state, { type: 'acceptReport' }, coordinator))).toBe('invalid_transition');
  });

  it('keeps an action in progress when a report that is not final is accepted', () => {
    const { state, events } = run(inProgress, [
      [{ type: 'submitReport', final: false }, focal(JUSTICE)],
      [{ type: 'approveReport' }, validator(JUSTICE)],
      [{ type: 'acceptReport' }, coordinator],
    ]);
    expect(state.action.status).toBe('in_progress');
    expect(events).not.toContain('action.completed.v1');
  });

  it('freezes reports while the action is blocked, and lets them go on once it is unblocked', () => {
    const submitted = run(inProgress, [[{ type: 'submitReport', final: false }, focal(JUSTICE)]]).state;
    const blocked = run(submitted, [
      [{ type: 'block', reason: 'Awaiting the budget' }, focal(JUSTICE)],
    ]).state;
    expect(refusal(decide(blocked, { type: 'approveReport' }, validator(JUSTICE)))).toBe(
      'invalid_transition',
    );
    const unblocked = run(blocked, [[{ type: 'unblock' }, coordinator]]).state;
    expect(run(unblocked, [[{ type: 'approveReport' }, validator(JUSTICE)]]).state.report?.status).toBe(
      'approved_by_validator',
    );
  });

  it('requires a non-blank reason or comments, and puts them in the event', () => {
    for (const blank of ['', '   ', '\t\n', '\u00a0']) {
      expect(refusal(decide(assigned, { type: 'decline', reason: blank }, focal(JUSTICE)))).toBe(
        'reason_required',
      );
      expect(refusal(decide(inProgress, { type: 'block', reason: blank }, coordinator))).toBe(
        'reason_required',
      );
      expect(refusal(decide(inProgress, { type: 'cancel', reason: blank }, coordinator))).toBe(
        'reason_required',
      );
    }
    const missing = { type: 'cancel' } as unknown as Command;
    expect(refusal(decide(inProgress, missing, coordinator))).toBe('reason_required');
    const submitted: WorkflowState = {
      ...inProgress,
      report: { status: 'submitted', institution: JUSTICE, final: false },
    };
    expect(refusal(decide(submitted, { type: 'returnReport', comments: ' ' }, validator(JUSTICE)))).toBe(
      'comments_required',
    );
    expect(
      decide(assigned, { type: 'decline', reason: 'Outside our mandate' }, focal(JUSTICE)),
    ).toMatchObject({
      events: [{ type: 'action.declined.v1', reason: 'Outside our mandate' }],
    });
  });

  it('tells an outsider only that it may not, before looking at what it sent or at the state', () => {
    const nhri: Actor = { roles: ['nhri'], institutions: [JUSTICE] };
    expect(refusal(decide(inProgress, { type: 'cancel', reason: '' }, nhri))).toBe('forbidden');
    const cancelled: WorkflowState = { ...inProgress, action: { ...inProgress.action, status: 'cancelled' } };
    expect(refusal(decide(cancelled, { type: 'cancel', reason: 'x' }, focal(JUSTICE)))).toBe('forbidden');
    expect(refusal(decide(cancelled, { type: 'cancel', reason: 'x' }, coordinator))).toBe(
      'invalid_transition',
    );
  });

  it('refuses an assignment without a lead, with blank or padded names, or naming an institution twice', () => {
    const proposed: WorkflowState = {
      action: { status: 'proposed', lead: null, supporting: [] },
      report: null,
    };
    for (const [lead, supporting] of [
      ['', []],
      [' ', []],
      [' Ministry of Justice', []],
      [JUSTICE, ['']],
      [JUSTICE, [JUSTICE]],
      [JUSTICE, ['ministry of justice']],
      [JUSTICE, [INTERIOR, INTERIOR]],
    ] as [string, string[]][]) {
      expect([
        lead,
        supporting,
        refusal(decide(proposed, { type: 'assign', lead, supporting }, coordinator)),
      ]).toEqual([lead, supporting, 'invalid_assignment']);
    }
  });

  it('refuses a reassignment that changes nothing, however the names are spelled or ordered', () => {
    const twoSupporting: WorkflowState = {
      ...assigned,
      action: { ...assigned.action, supporting: [INTERIOR, 'Ministry of Health'] },
    };
    const same = {
      type: 'assign',
      lead: 'ministry of justice',
      supporting: ['ministry of health', INTERIOR],
    } as const;
    expect(refusal(decide(twoSupporting, same, coordinator))).toBe('unchanged');
    expect(refusal(decide(twoSupporting, { ...same, supporting: [INTERIOR] }, coordinator))).toBe('allowed');
  });

  it("matches an actor's institutions to the action's ignoring case, as the platform does", () => {
    expect(refusal(decide(assigned, { type: 'acknowledge' }, focal('MINISTRY OF JUSTICE')))).toBe('allowed');
    expect(refusal(decide(assigned, { type: 'acknowledge' }, focal('Ministry of Justic')))).toBe('forbidden');
  });

  it('gives a person with several roles what each role allows, and no more', () => {
    const both: Actor = { roles: ['coordinator', 'focal_point'], institutions: [INTERIOR] };
    expect(refusal(decide(inProgress, { type: 'submitReport', final: false }, both))).toBe('allowed');
    expect(refusal(decide(inProgress, { type: 'submitReport', final: true }, both))).toBe(
      'final_by_lead_only',
    );
    expect(refusal(decide(inProgress, { type: 'complete' }, both))).toBe('allowed');
    expect(refusal(decide(assigned, { type: 'acknowledge' }, both))).toBe('forbidden');
  });

  it('reports for the lead institution when a focal point belongs to both the lead and a supporting one', () => {
    const { state } = run(inProgress, [
      [{ type: 'draftReport' }, { roles: ['focal_point'], institutions: [INTERIOR, JUSTICE] }],
    ]);
    expect(state.report).toEqual({ status: 'draft', institution: JUSTICE, final: false });
  });

  it('reopens a completed action for the coordinator only, with a reason, and never a cancelled one', () => {
    const completed: WorkflowState = { ...inProgress, action: { ...inProgress.action, status: 'completed' } };
    expect(refusal(decide(completed, { type: 'reopen', reason: '' }, coordinator))).toBe('reason_required');
    expect(
      refusal(decide(completed, { type: 'reopen', reason: 'The law was repealed' }, focal(JUSTICE))),
    ).toBe('forbidden');
    expect(
      run(completed, [[{ type: 'reopen', reason: 'The law was repealed' }, coordinator]]).state.action.status,
    ).toBe('in_progress');
    const cancelled: WorkflowState = { ...inProgress, action: { ...inProgress.action, status: 'cancelled' } };
    expect(refusal(decide(cancelled, { type: 'reopen', reason: 'Revived' }, coordinator))).toBe(
      'invalid_transition',
    );
  });

  it('does not change the state it is given', () => {
    const frozen = Object.freeze({ action: Object.freeze({ ...inProgress.action }), report: null });
    expect(() => decide(frozen, { type: 'submitReport', final: true }, focal(JUSTICE))).not.toThrow();
    expect(frozen.action.status).toBe('in_progress');
  });
});

import { assertTransition, isOpen, StatusTransitionError } from './action-status';

describe('action status rules', () => {
  it('lets open work move forward and be reported again', () => {
    expect(() => assertTransition('not_started', 'in_progress')).not.toThrow();
    expect(() => assertTransition('in_progress', 'in_progress')).not.toThrow();
    expect(() => assertTransition('blocked', 'completed')).not.toThrow();
  });

  it('refuses to revive cancelled work or to send completed work back to not started', () => {
    expect(() => assertTransition('cancelled', 'in_progress')).toThrow(StatusTransitionError);
    expect(() => assertTransition('completed', 'not_started')).toThrow('cannot become not started');
    expect(() => assertTransition('completed', 'completed')).toThrow(StatusTransitionError);
  });

  it('allows a completed action to be reopened', () => {
    expect(() => assertTransition('completed', 'in_progress')).not.toThrow();
  });

  it('treats only completed and cancelled as closed', () => {
    expect(isOpen('blocked')).toBe(true);
    expect(isOpen('completed')).toBe(false);
    expect(isOpen('cancelled')).toBe(false);
  });
});

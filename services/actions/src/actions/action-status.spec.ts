import { ACTION_STATUSES, isOpen } from './action-status';

describe('action statuses', () => {
  it('are the workflow’s eight', () => {
    expect(ACTION_STATUSES).toEqual([
      'proposed',
      'assigned',
      'acknowledged',
      'declined',
      'in_progress',
      'blocked',
      'completed',
      'cancelled',
    ]);
  });

  it('treats only completed and cancelled as closed; declined goes back to the coordinator, open', () => {
    expect(ACTION_STATUSES.filter((status) => !isOpen(status))).toEqual(['completed', 'cancelled']);
    expect(isOpen('declined')).toBe(true);
  });
});

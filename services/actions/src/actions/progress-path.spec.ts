import { progressPath } from './progress-path';

describe('the workflow commands behind a reported status', () => {
  it('walks the fewest steps the workflow allows', () => {
    expect(progressPath('assigned', 'in_progress')).toEqual(['acknowledge', 'start']);
    expect(progressPath('assigned', 'completed')).toEqual(['acknowledge', 'start', 'complete']);
    expect(progressPath('acknowledged', 'blocked')).toEqual(['start', 'block']);
    expect(progressPath('blocked', 'completed')).toEqual(['unblock', 'complete']);
    expect(progressPath('completed', 'in_progress')).toEqual(['reopen']);
    expect(progressPath('in_progress', 'cancelled')).toEqual(['cancel']);
    expect(progressPath('assigned', 'declined')).toEqual(['decline']);
  });

  it('asks for nothing when the status stays, and finds no way without a new assignment', () => {
    expect(progressPath('in_progress', 'in_progress')).toEqual([]);
    expect(progressPath('proposed', 'in_progress')).toBeNull();
    expect(progressPath('declined', 'in_progress')).toBeNull();
    expect(progressPath('cancelled', 'in_progress')).toBeNull();
    expect(progressPath('in_progress', 'assigned')).toBeNull();
  });
});

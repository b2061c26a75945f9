import { effectivePreferences, preferenceProblems } from './preference-rules';

describe('mail preferences', () => {
  it('accepts every cadence for ordinary kinds', () => {
    expect(
      preferenceProblems([
        { kind: 'assignment', cadence: 'off' },
        { kind: 'reminder', cadence: 'daily' },
        { kind: 'validation_requested', cadence: 'weekly' },
        { kind: 'overdue', cadence: 'weekly' },
        { kind: 'escalation', cadence: 'immediate' },
      ]),
    ).toEqual([]);
  });

  it.each(['overdue', 'escalation'])('refuses to turn %s off, saying why', (kind) => {
    expect(preferenceProblems([{ kind, cadence: 'off' }])).toEqual([
      {
        field: 'preferences.0.cadence',
        message: `${kind} mails cannot be turned off: late work must reach someone (choose immediate, daily or weekly)`,
      },
    ]);
  });

  it('names an unknown kind or cadence, and a kind given twice', () => {
    expect(
      preferenceProblems([
        { kind: 'gossip', cadence: 'immediate' },
        { kind: 'reminder', cadence: 'hourly' },
        { kind: 'reminder', cadence: 'daily' },
      ]).map((problem) => problem.field),
    ).toEqual(['preferences.0.kind', 'preferences.1.cadence', 'preferences.2.kind']);
  });

  it('defaults every kind to immediate and says which can be turned off', () => {
    const preferences = effectivePreferences([{ mailKind: 'reminder', cadence: 'weekly' }]);
    expect(preferences.find((p) => p.kind === 'reminder')).toEqual({
      kind: 'reminder',
      cadence: 'weekly',
      canTurnOff: true,
    });
    expect(preferences.find((p) => p.kind === 'assignment')?.cadence).toBe('immediate');
    expect(preferences.find((p) => p.kind === 'overdue')?.canTurnOff).toBe(false);
    expect(preferences).toHaveLength(6);
  });
});

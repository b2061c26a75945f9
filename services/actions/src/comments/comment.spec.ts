import {
  excerptOf,
  isCommentText,
  MAX_TEXT_LENGTH,
  resolveMentions,
  withinEditWindow,
  type Comment,
} from './comment';

const JUSTICE = 'Ministry of Justice';
const INTERIOR = 'Ministry of Interior';
const thread = {
  id: 'action-1',
  title: 'Train judges',
  lead: JUSTICE,
  supporting: [INTERIOR],
  people: [
    { institutionId: JUSTICE, userIds: ['focal-justice-1', 'validator-justice-1', 'both-1'] },
    { institutionId: INTERIOR, userIds: ['focal-interior-1', 'both-1'] },
  ],
};

describe('comment rules', () => {
  it('takes paragraphs but no control characters, blank text or more than the limit', () => {
    expect(isCommentText('First point.\n\n\tSecond point.')).toBe(true);
    expect(isCommentText('   \n')).toBe(false);
    expect(isCommentText('bell\u0007')).toBe(false);
    expect(isCommentText('nul\u0000')).toBe(false);
    expect(isCommentText('x'.repeat(MAX_TEXT_LENGTH))).toBe(true);
    expect(isCommentText('x'.repeat(MAX_TEXT_LENGTH + 1))).toBe(false);
  });

  it('excerpts the start of the text on one line, cut at a whole character', () => {
    expect(excerptOf('  Please send\n\nthe lists.  ')).toBe('Please send the lists.');
    const long = excerptOf('😀'.repeat(200));
    expect(Array.from(long)).toHaveLength(140);
    expect(long.endsWith('😀…')).toBe(true);
  });

  it('resolves mentions to inboxes: a user to their institution (the lead first), an institution of the action, the coordinator', () => {
    const { mentions, problems } = resolveMentions(
      [
        { kind: 'user', id: 'focal-interior-1' },
        { kind: 'user', id: 'both-1' },
        { kind: 'institution', id: 'ministry of interior' },
        { kind: 'institution', id: INTERIOR },
        { kind: 'coordinator' },
      ],
      thread,
    );
    expect(problems).toEqual([]);
    expect(mentions).toEqual([
      { kind: 'user', userId: 'focal-interior-1', institutionId: INTERIOR },
      { kind: 'user', userId: 'both-1', institutionId: JUSTICE },
      { kind: 'institution', userId: null, institutionId: INTERIOR },
      { kind: 'coordinator', userId: null, institutionId: null },
    ]);
  });

  it('names each mention of someone who cannot see the action', () => {
    const { problems } = resolveMentions(
      [
        { kind: 'user', id: 'focal-justice-1' },
        { kind: 'user', id: 'focal-health-1' },
        { kind: 'institution', id: 'Ministry of Health' },
      ],
      thread,
    );
    expect(problems.map((problem) => problem.index)).toEqual([1, 2]);
    expect(problems[0].message).toContain('focal-health-1');
    expect(problems[1].message).toContain('Ministry of Health');
  });

  it('lets the author edit for fifteen minutes', () => {
    const comment = { createdAt: new Date('2026-03-01T10:00:00Z') } as Comment;
    expect(withinEditWindow(comment, new Date('2026-03-01T10:15:00Z'))).toBe(true);
    expect(withinEditWindow(comment, new Date('2026-03-01T10:15:01Z'))).toBe(false);
  });
});

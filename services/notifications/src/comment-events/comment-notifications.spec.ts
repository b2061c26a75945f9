import { COMMENT_MESSAGES, commentMessageKey } from './comment-messages';
import { planCommentNotifications, type CommentPostedFacts } from './comment-notifications';

const SECRETARIAT = 'NMIRF Secretariat';
const JUSTICE = 'Ministry of Justice';
const INTERIOR = 'Ministry of Interior';

const event = (change: Partial<CommentPostedFacts> = {}): CommentPostedFacts => ({
  eventId: 'event-1',
  commentId: 'comment-1',
  actionId: 'action-1',
  actionTitle: 'Train judges on the Convention',
  authorId: 'coordinator-1',
  authorName: 'Ana',
  authorRole: 'coordinator',
  authorInstitutionId: '',
  leadInstitutionId: JUSTICE,
  mentions: [],
  excerpt: 'Please send the attendance lists.',
  ...change,
});

let counter = 0;
const plan = (facts: CommentPostedFacts) =>
  planCommentNotifications(facts, SECRETARIAT, () => `n${++counter}`).map(
    ({ institution, recipientUserId, kind, params }) => ({
      institution,
      recipient: recipientUserId ?? null,
      kind,
      mentionedAs: 'mentionedAs' in params ? params.mentionedAs : undefined,
    }),
  );

describe('who hears of a comment', () => {
  it('tells the lead of the coordinator’s comment, and the coordinator of an institution’s', () => {
    expect(plan(event())).toEqual([
      { institution: JUSTICE, recipient: null, kind: 'comment_posted', mentionedAs: undefined },
    ]);
    expect(
      plan(event({ authorId: 'focal-1', authorRole: 'institution', authorInstitutionId: INTERIOR })),
    ).toEqual([
      { institution: SECRETARIAT, recipient: null, kind: 'comment_posted', mentionedAs: undefined },
    ]);
    // No lead yet: nobody but the mentioned hears of the coordinator's note.
    expect(plan(event({ leadInstitutionId: '' }))).toEqual([]);
  });

  it('sends each mention to its inbox once, addressed to a mentioned user, never to the author', () => {
    const mentions: CommentPostedFacts['mentions'] = [
      { kind: 'user', userId: 'focal-interior-1', institutionId: INTERIOR },
      { kind: 'user', userId: 'focal-interior-1', institutionId: INTERIOR },
      { kind: 'institution', userId: '', institutionId: INTERIOR },
      { kind: 'user', userId: 'coordinator-1', institutionId: JUSTICE },
      { kind: 'coordinator', userId: '', institutionId: '' },
    ];
    expect(plan(event({ mentions }))).toEqual([
      { institution: INTERIOR, recipient: 'focal-interior-1', kind: 'comment_mention', mentionedAs: 'user' },
      { institution: INTERIOR, recipient: null, kind: 'comment_mention', mentionedAs: 'institution' },
      { institution: SECRETARIAT, recipient: null, kind: 'comment_mention', mentionedAs: 'coordinator' },
      { institution: JUSTICE, recipient: null, kind: 'comment_posted', mentionedAs: undefined },
    ]);
  });

  it('does not also send comment_posted to an inbox the comment mentions', () => {
    const mentioned = plan(
      event({
        mentions: [{ kind: 'user', userId: 'focal-justice-1', institutionId: 'ministry of justice' }],
      }),
    );
    expect(mentioned.map((row) => row.kind)).toEqual(['comment_mention']);
  });

  it('keeps data only in the params, and has a text in six languages for each', () => {
    const [notification] = planCommentNotifications(event(), SECRETARIAT, () => 'n');
    expect(notification.params).toEqual({
      title: 'Train judges on the Convention',
      commentId: 'comment-1',
      excerpt: 'Please send the attendance lists.',
      authorId: 'coordinator-1',
      authorName: 'Ana',
      authorRole: 'coordinator',
    });
    const keys = Object.keys(COMMENT_MESSAGES.en).sort();
    expect(keys).toEqual(
      [
        commentMessageKey('comment_posted'),
        commentMessageKey('comment_mention', 'user'),
        commentMessageKey('comment_mention', 'institution'),
        commentMessageKey('comment_mention', 'coordinator'),
      ].sort(),
    );
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const [lang, catalogue] of Object.entries(COMMENT_MESSAGES)) {
      expect([lang, Object.keys(catalogue).sort()]).toEqual([lang, keys]);
      for (const key of keys)
        expect([lang, key, placeholders(catalogue[key])]).toEqual([
          lang,
          key,
          ['{authorName}', '{excerpt}', '{title}'],
        ]);
    }
  });
});

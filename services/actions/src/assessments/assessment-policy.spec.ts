import {
  authorship,
  decide,
  draftsVisibleTo,
  GOVERNMENT_ROLES,
  type AssessmentFacts,
  type Caller,
  type Operation,
} from './assessment-policy';

const caller = (roles: string[], institutions: string[] = []): Caller => ({
  subject: `${roles.join('+') || 'none'}@${institutions.join('+')}`,
  roles: new Set(roles),
  institutions,
});

const OMBUDSMAN = 'Human Rights Ombudsman';
const nhri = caller(['nhri'], [OMBUDSMAN]);
// The claim as another identity provider might spell it: organisations compare ignoring case.
const nhriOtherCase = caller(['nhri'], ['human rights ombudsman']);
const cso = caller(['civil_society'], ['Civil Society Coalition']);
const government = GOVERNMENT_ROLES.map((role) => caller([role], ['NMIRF Secretariat']));

const draft: AssessmentFacts = { authorOrganisationId: OMBUDSMAN, published: false, withdrawn: false };
const published: AssessmentFacts = { ...draft, published: true };
const withdrawn: AssessmentFacts = { ...draft, withdrawn: true };
const CHANGES: Operation[] = ['edit', 'publish', 'unpublish', 'withdraw'];

describe('who may do what with an assessment', () => {
  it('lets anyone read a published assessment, signed in or not', () => {
    for (const reader of [undefined, nhri, cso, ...government])
      expect(decide(reader, 'read', published)).toBe('allowed');
  });

  it('hides a draft from everyone outside its author organisation, as if it did not exist', () => {
    for (const outsider of [undefined, cso, ...government]) {
      expect(decide(outsider, 'read', draft)).toBe('not_found');
      for (const operation of CHANGES) expect(decide(outsider, operation, draft)).toBe('not_found');
    }
    expect(decide(nhri, 'read', draft)).toBe('allowed');
    expect(decide(nhriOtherCase, 'read', draft)).toBe('allowed');
  });

  it('lets only the author organisation’s members change it', () => {
    for (const operation of CHANGES) {
      expect(decide(nhri, operation, draft)).toBe('allowed');
      expect(decide(nhri, operation, published)).toBe('allowed');
      expect(decide(nhriOtherCase, operation, published)).toBe('allowed');
      expect(decide(cso, operation, published)).toBe('forbidden');
      // Same role, another organisation.
      expect(decide(caller(['nhri'], ['Another Commission']), operation, published)).toBe('forbidden');
    }
  });

  it('never lets a government role change an assessment, even one that belongs to the organisation', () => {
    for (const operation of CHANGES) {
      for (const official of government) expect(decide(official, operation, published)).toBe('forbidden');
      for (const role of GOVERNMENT_ROLES) {
        const both = caller(['nhri', role], [OMBUDSMAN]);
        expect(decide(both, 'read', draft)).toBe('allowed');
        expect(decide(both, operation, draft)).toBe('forbidden');
      }
      // A member without an independent role (say, the office's staff account) reads but does not write.
      expect(decide(caller([], [OMBUDSMAN]), operation, draft)).toBe('forbidden');
    }
  });

  it('hides a withdrawn assessment from everyone, its authors included', () => {
    for (const someone of [undefined, nhri, cso, ...government])
      for (const operation of ['read', ...CHANGES] as Operation[])
        expect(decide(someone, operation, withdrawn)).toBe('not_found');
  });

  it('shows drafts in lists only to their own organisations', () => {
    expect(draftsVisibleTo(undefined)).toEqual([]);
    expect(draftsVisibleTo(nhri)).toEqual([OMBUDSMAN]);
  });
});

describe('who writes a new assessment', () => {
  it('is the caller’s only organisation when they name none', () => {
    expect(authorship(nhri, undefined)).toEqual({ ok: true, organisationId: OMBUDSMAN, kind: 'nhri' });
    expect(authorship(cso, undefined)).toEqual({
      ok: true,
      organisationId: 'Civil Society Coalition',
      kind: 'civil_society',
    });
  });

  it('is the named organisation, spelt as the token spells it, when it is one of theirs', () => {
    const several = caller(['civil_society'], ['Civil Society Coalition', 'Roma Rights Network']);
    expect(authorship(several, 'roma rights network')).toEqual({
      ok: true,
      organisationId: 'Roma Rights Network',
      kind: 'civil_society',
    });
    expect(authorship(several, undefined)).toEqual({ ok: false, refusal: 'organisation_required' });
    expect(authorship(several, OMBUDSMAN)).toEqual({ ok: false, refusal: 'not_a_member' });
  });

  it('is nobody for government roles, anonymous callers and people without an organisation', () => {
    for (const official of government)
      expect(authorship(official, 'NMIRF Secretariat')).toEqual({ ok: false, refusal: 'not_independent' });
    expect(authorship(caller(['nhri', 'coordinator'], [OMBUDSMAN]), OMBUDSMAN)).toEqual({
      ok: false,
      refusal: 'not_independent',
    });
    expect(authorship(undefined, undefined)).toEqual({ ok: false, refusal: 'not_independent' });
    expect(authorship(caller(['nhri']), undefined)).toEqual({ ok: false, refusal: 'no_organisation' });
  });

  it('is the NHRI for someone holding both independent roles', () => {
    expect(authorship(caller(['civil_society', 'nhri'], [OMBUDSMAN]), undefined)).toMatchObject({
      kind: 'nhri',
    });
  });
});

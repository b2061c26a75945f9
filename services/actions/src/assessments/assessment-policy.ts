import { sameOrganisation, type AuthorKind } from './assessment';

/** The caller as the access token says (the platform's Principal fits); undefined when anonymous. */
export interface Caller {
  subject: string;
  roles: ReadonlySet<string>;
  /** The organisations the caller acts for, from the token's institutions claim. */
  institutions: readonly string[];
}

/** What the policy needs to know of an assessment. */
export interface AssessmentFacts {
  authorOrganisationId: string;
  published: boolean;
  withdrawn: boolean;
}

export type Operation = 'read' | 'edit' | 'publish' | 'unpublish' | 'withdraw';

/** `not_found` when the caller may not even know the assessment exists; `forbidden` when they may. */
export type Decision = 'allowed' | 'not_found' | 'forbidden';

/** Roles of the government side: they read assessments, never write them. */
export const GOVERNMENT_ROLES = ['admin', 'coordinator', 'focal_point', 'institution_validator'] as const;
export const INDEPENDENT_ROLES = ['nhri', 'civil_society'] as const;

const hasAny = (caller: Caller, roles: readonly string[]) => roles.some((role) => caller.roles.has(role));

/**
 * Whether the caller writes as an independent body: an NHRI or civil-society role, and no
 * government role beside it (someone on both sides cannot vouch for the assessment's independence).
 */
export function isIndependent(caller: Caller | undefined): caller is Caller {
  return Boolean(caller && hasAny(caller, INDEPENDENT_ROLES) && !hasAny(caller, GOVERNMENT_ROLES));
}

export function isMember(caller: Caller | undefined, organisationId: string): boolean {
  return Boolean(caller?.institutions.some((own) => sameOrganisation(own, organisationId)));
}

/**
 * Who may do what with an existing assessment. A withdrawn one is gone for everyone (the audit
 * trail keeps it); a draft exists only for its author organisation, so anyone else gets not_found;
 * what one can see, only the author organisation's independent members change.
 */
export function decide(
  caller: Caller | undefined,
  operation: Operation,
  assessment: AssessmentFacts,
): Decision {
  if (assessment.withdrawn) return 'not_found';
  const member = isMember(caller, assessment.authorOrganisationId);
  if (!assessment.published && !member) return 'not_found';
  if (operation === 'read') return 'allowed';
  return member && isIndependent(caller) ? 'allowed' : 'forbidden';
}

/** Why a caller may not write a new assessment, or for whom they write it. */
export type Authorship =
  | { ok: true; organisationId: string; kind: AuthorKind }
  | { ok: false; refusal: 'not_independent' | 'no_organisation' | 'not_a_member' | 'organisation_required' };

/**
 * The author organisation of a new assessment: the one the caller names, which must be theirs (as
 * the token spells it), or their only one. Only independent callers write assessments.
 */
export function authorship(caller: Caller | undefined, requested: string | undefined): Authorship {
  if (!isIndependent(caller)) return { ok: false, refusal: 'not_independent' };
  // Someone with both roles writes as the NHRI: it is the body with a legal mandate to assess.
  const kind: AuthorKind = caller.roles.has('nhri') ? 'nhri' : 'civil_society';
  if (caller.institutions.length === 0) return { ok: false, refusal: 'no_organisation' };
  if (requested === undefined) {
    if (caller.institutions.length > 1) return { ok: false, refusal: 'organisation_required' };
    return { ok: true, organisationId: caller.institutions[0], kind };
  }
  const own = caller.institutions.find((organisation) => sameOrganisation(organisation, requested));
  return own === undefined ? { ok: false, refusal: 'not_a_member' } : { ok: true, organisationId: own, kind };
}

/** Whose drafts a list shows beside the published assessments: the caller's own organisations'. */
export function draftsVisibleTo(caller: Caller | undefined): readonly string[] {
  return caller?.institutions ?? [];
}

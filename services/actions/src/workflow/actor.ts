import type { ActionState, WorkflowState } from './states';

/**
 * The platform's roles (ROLES in @nmirf/platform, same spelling), plus `service` for a machine client,
 * which the platform tells apart by the principal's kind rather than by a role.
 */
export const WORKFLOW_ROLES = [
  'admin',
  'coordinator',
  'focal_point',
  'institution_validator',
  'nhri',
  'civil_society',
  'service',
] as const;
export type WorkflowRole = (typeof WORKFLOW_ROLES)[number];

export interface Actor {
  roles: readonly WorkflowRole[];
  /** The institutions the person acts for (focal points, validators). */
  institutions: readonly string[];
}

/**
 * Whom a transition names, relative to one action and report. Nobody else (admin, NHRI, civil
 * society, service accounts, other institutions) moves the workflow.
 */
export const PARTIES = ['coordinator', 'lead_focal_point', 'report_focal_point', 'report_validator'] as const;
export type Party = (typeof PARTIES)[number];

// One collator for all comparisons: localeCompare with options builds a new one on every call.
const institutionCollator = new Intl.Collator(undefined, { sensitivity: 'accent' });

/** Institution ids compare as the platform's `actsFor` does: ignoring case, not accents. */
export const sameInstitution = (a: string, b: string): boolean => institutionCollator.compare(a, b) === 0;

const memberOf = (actor: Actor, institution: string): boolean =>
  actor.institutions.some((own) => sameInstitution(own, institution));

const participants = (action: ActionState): string[] =>
  action.lead ? [action.lead, ...action.supporting] : [];

/**
 * Whether `actor` is `party` here. A report's focal points and validators are those of its
 * institution; for a report not written yet, those of the lead or of any supporting institution.
 */
export function isParty(party: Party, actor: Actor, { action, report }: WorkflowState): boolean {
  switch (party) {
    case 'coordinator':
      return actor.roles.includes('coordinator');
    case 'lead_focal_point':
      return actor.roles.includes('focal_point') && action.lead !== null && memberOf(actor, action.lead);
    case 'report_focal_point':
    case 'report_validator': {
      const role = party === 'report_focal_point' ? 'focal_point' : 'institution_validator';
      const institutions = report ? [report.institution] : participants(action);
      return actor.roles.includes(role) && institutions.some((institution) => memberOf(actor, institution));
    }
  }
}

/** The institution a focal point writes a new report for: the lead if they belong to it. */
export function reportingInstitution(actor: Actor, action: ActionState): string | null {
  return participants(action).find((institution) => memberOf(actor, institution)) ?? null;
}

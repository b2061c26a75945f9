/** What a plan answers to. */
export const PLAN_KINDS = ['upr_cycle', 'treaty_body', 'national_action_plan', 'other'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/** ISO 3166-1 alpha-3, as the recommendations' states are spelled. */
export const STATE_CODE = /^[A-Z]{3}$/;

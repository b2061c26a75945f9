/** The State's position on a recommendation. */
export const POSITIONS = ['supported', 'noted', 'supported_in_part', 'pending'] as const;
export type Position = (typeof POSITIONS)[number];

export { MECHANISM_KINDS, type MechanismKind } from '../taxonomy/mechanisms';

/** UHRI's "Recommendations" vs "Concerns/Observations"; pledges and commitments from the template. */
export const RECOMMENDATION_TYPES = ['recommendation', 'observation', 'pledge', 'commitment'] as const;
export type RecommendationType = (typeof RECOMMENDATION_TYPES)[number];

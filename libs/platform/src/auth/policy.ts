import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

export const POLICY = 'nmirf:policy';

/**
 * Who may call a route. Every route declares one (the application refuses to start otherwise):
 * anonymous callers, or any of the roles, or a service account with any of the scopes. What a caller
 * may do with a given object (another institution's action, say) is decided in the use case.
 */
export interface RoutePolicy {
  anonymous?: boolean;
  roles?: readonly Role[];
  scopes?: readonly string[];
}

export const Allow = (policy: RoutePolicy) => SetMetadata(POLICY, policy);
/** Anyone, signed in or not: what is published. */
export const Public = () => Allow({ anonymous: true });
export const Roles = (...roles: Role[]) => Allow({ roles });

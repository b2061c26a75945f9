import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
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
/** The OpenAPI extension marking an operation anonymous readers may call (a public portal's routes). */
export const PUBLIC_OPERATION = 'x-public';
/** Anyone, signed in or not: what is published. Marked `x-public: true` in the OpenAPI document. */
export const Public = () => applyDecorators(Allow({ anonymous: true }), ApiExtension(PUBLIC_OPERATION, true));
export const Roles = (...roles: Role[]) => Allow({ roles });

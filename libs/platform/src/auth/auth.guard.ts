import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { currentContext } from '../observability/correlation';
import { AccessTokenVerifier, InvalidTokenError } from './access-token';
import { POLICY, type RoutePolicy } from './policy';
import type { Principal } from './principal';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** Listeners for refused requests, e.g. the audit trail. */
export interface AccessRefusal {
  status: 401 | 403;
  reason: string;
  principal?: Principal;
  request: Request;
}

/**
 * Deny by default: a route without a policy is refused; a bearer token, when sent, must be valid
 * even on public routes; the actor of everything that follows is the token's subject.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
    private readonly onRefused: (refusal: AccessRefusal) => void | Promise<void> = () => undefined,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const policy = this.reflector.getAllAndOverride<RoutePolicy | undefined>(POLICY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const principal = await this.authenticate(request, context.switchToHttp().getResponse<Response>());
    if (!policy) return this.refuse(request, 403, 'This route declares no policy', principal);
    if (policy.anonymous) return true;
    if (!principal) {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="nmirf"');
      return this.refuse(request, 401, 'Sign in to use this route');
    }
    const allowed =
      (policy.roles ?? []).some((role) => principal.roles.has(role)) ||
      (policy.scopes ?? []).some((scope) => principal.scopes.has(scope));
    if (!allowed) return this.refuse(request, 403, 'Your role does not allow this', principal);
    return true;
  }

  private async authenticate(
    request: AuthenticatedRequest,
    response: Response,
  ): Promise<Principal | undefined> {
    const header = request.header('authorization');
    if (header === undefined) return undefined;
    const match = /^Bearer ([A-Za-z0-9_.~+/=-]{1,8192})$/.exec(header);
    try {
      if (!match) throw new InvalidTokenError('The Authorization header is not a bearer token');
      const principal = await this.verifier.verify(match[1]);
      request.principal = principal;
      const requestContext = currentContext();
      if (requestContext)
        requestContext.actor = {
          kind: principal.kind === 'service' ? 'service' : 'user',
          id: principal.subject,
          institution: principal.institutions[0],
          name: principal.name,
        };
      return principal;
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        response.setHeader('WWW-Authenticate', 'Bearer realm="nmirf", error="invalid_token"');
        await this.refuse(request, 401, error.message);
      }
      this.logger.warn({ msg: 'could not verify an access token', error: (error as Error).message });
      throw new ServiceUnavailableException('The identity provider is unavailable; retry later');
    }
  }

  private async refuse(
    request: Request,
    status: 401 | 403,
    reason: string,
    principal?: Principal,
  ): Promise<never> {
    await Promise.resolve(this.onRefused({ status, reason, principal, request })).catch(() => undefined);
    throw status === 401 ? new UnauthorizedException(reason) : new ForbiddenException(reason);
  }
}

/** The verified caller of the request (undefined on a public route called anonymously). */
export const Caller = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);

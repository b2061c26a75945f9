import { Logger, type INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { PlatformConfig } from '../config/load-config';
import { AccessTokenVerifier } from './access-token';
import { AuthGuard, type AccessRefusal } from './auth.guard';
import { assertEveryRouteHasPolicy } from './route-policies';

/**
 * Every route requires what its policy says, checked against access tokens of the configured
 * provider. Refusals are logged (subject id only) and passed to `onRefused`, e.g. the audit trail.
 */
export function protectRoutes(
  app: INestApplication,
  config: Pick<
    PlatformConfig,
    'OIDC_ISSUER_URL' | 'OIDC_AUDIENCE' | 'OIDC_ROLES_CLAIM' | 'OIDC_INSTITUTIONS_CLAIM'
  >,
  onRefused?: (refusal: AccessRefusal) => void | Promise<void>,
): AccessTokenVerifier {
  assertEveryRouteHasPolicy(app);
  const verifier = new AccessTokenVerifier({
    issuer: config.OIDC_ISSUER_URL,
    audience: config.OIDC_AUDIENCE,
    rolesClaim: config.OIDC_ROLES_CLAIM,
    institutionsClaim: config.OIDC_INSTITUTIONS_CLAIM,
  });
  const logger = new Logger('Auth');
  app.useGlobalGuards(
    new AuthGuard(app.get(Reflector), verifier, async (refusal) => {
      logger.warn({
        msg: refusal.status === 401 ? 'sign-in refused' : 'access refused',
        status: refusal.status,
        reason: refusal.reason,
        subject: refusal.principal?.subject,
        method: refusal.request.method,
        path: refusal.request.route?.path ?? refusal.request.path,
      });
      await onRefused?.(refusal);
    }),
  );
  return verifier;
}

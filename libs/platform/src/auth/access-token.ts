import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ROLES, type Principal, type Role } from './principal';

export interface AccessTokenOptions {
  issuer: string;
  audience: string;
  /** Claim (dotted path allowed, e.g. `realm_access.roles`) holding the roles. */
  rolesClaim: string;
  institutionsClaim: string;
  /** Seconds of clock skew tolerated on exp and nbf. */
  clockToleranceSeconds?: number;
  /** An unknown `kid` refetches the JWKS, at most this often. */
  jwksCooldownMs?: number;
}

/** Verified tokens remembered until they expire, so a client's next requests skip the signature check. */
const REMEMBERED_TOKENS = 5_000;

/** Asymmetric algorithms only: `none` and HMAC (a "public key as secret" attack) are refused. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export class InvalidTokenError extends Error {}

/**
 * Verifies access tokens of any standards-compliant OpenID Connect provider: signature through the
 * issuer's JWKS (cached; an unknown `kid` refetches it, at most every 30 s, which is how key rotation
 * arrives), issuer, audience, expiry and not-before.
 */
export class AccessTokenVerifier {
  private keys?: Promise<JWTVerifyGetKey>;
  /** Verified tokens by their full text, oldest first, with the moment (ms) their `exp` passes. */
  private readonly verified = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    private readonly options: AccessTokenOptions,
    keys?: JWTVerifyGetKey,
  ) {
    if (keys) this.keys = Promise.resolve(keys);
  }

  async verify(token: string): Promise<Principal> {
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAt) return known.principal;
    if (known) this.verified.delete(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError)
        throw new InvalidTokenError(describe(error));
      throw error; // e.g. the provider is unreachable: not the caller's fault
    }
    const principal = this.principal(payload);
    this.remember(token, principal, Number(payload.exp) * 1_000);
    return principal;
  }

  /** Only a verified token is remembered, never past its own `exp` (the tolerance is for the clocks). */
  private remember(token: string, principal: Principal, expiresAt: number): void {
    if (!(expiresAt > Date.now())) return;
    if (this.verified.size >= REMEMBERED_TOKENS)
      this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, expiresAt });
  }

  private principal(payload: JWTPayload): Principal {
    const roles = strings(claim(payload, this.options.rolesClaim)).filter((role): role is Role =>
      (ROLES as readonly string[]).includes(role),
    );
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
    // Client-credentials tokens name the client, not a person (Keycloak: service-account-<client>).
    const isService =
      (typeof payload.preferred_username === 'string' &&
        payload.preferred_username.startsWith('service-account-')) ||
      (roles.length === 0 && typeof payload.client_id === 'string');
    const name =
      (typeof payload.name === 'string' && payload.name) ||
      (typeof payload.preferred_username === 'string' && payload.preferred_username) ||
      String(payload.sub);
    return {
      subject: String(payload.sub),
      name: name.slice(0, 200),
      kind: isService ? 'service' : 'user',
      roles: new Set(roles),
      institutions: strings(claim(payload, this.options.institutionsClaim)).map((value) =>
        value.slice(0, 200),
      ),
      scopes: new Set(scopes),
      contact: {
        email: optionalText(payload.email, 320),
        locale: optionalText(payload.locale, 35),
        zoneinfo: optionalText(payload.zoneinfo, 64),
      },
    };
  }

  private keySet(): Promise<JWTVerifyGetKey> {
    this.keys ??= discoverJwksUri(this.options.issuer)
      .then((uri) =>
        createRemoteJWKSet(new URL(uri), {
          cooldownDuration: this.options.jwksCooldownMs ?? 30_000,
          timeoutDuration: 5_000,
        }),
      )
      .catch((error) => {
        this.keys = undefined; // try the discovery again on the next request
        throw error;
      });
    return this.keys;
  }
}

async function discoverJwksUri(issuer: string): Promise<string> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`OpenID discovery at ${issuer} answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: string; issuer?: string };
  if (!document.jwks_uri) throw new Error(`OpenID discovery at ${issuer} has no jwks_uri`);
  return document.jwks_uri;
}

/** A standard claim the provider may or may not send; never trusted beyond its type and length. */
function optionalText(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() && value.length <= max ? value.trim() : undefined;
}

function claim(payload: JWTPayload, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], payload);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function describe(error: Error): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `The access token's ${error.claim} is not accepted`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'The access token was not signed by a known key';
  if (error instanceof errors.JOSEAlgNotAllowed) return "The access token's algorithm is not accepted";
  return 'The access token is not valid';
}

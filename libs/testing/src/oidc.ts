// Tokens from the local Keycloak (infra/keycloak), for tests that call the APIs as a real user would.
import { testInfrastructure } from './infrastructure';

/** Demo users of the `nmirf` realm (infra/keycloak/realm/nmirf.json); demo passwords, never production. */
export const DEMO_USERS = [
  'admin',
  'coordinator',
  'focal.justice',
  'focal.interior',
  'validator.justice',
  'nhri',
  'cso',
] as const;
export type DemoUser = (typeof DEMO_USERS)[number];

const DEMO_PASSWORD = 'nmirf-demo';
const INTEGRATION_CLIENT = { id: 'nmirf-integration', secret: 'nmirf-integration-demo-secret' };
/** A cached token is reused until this close to its expiry, so no test starts with one about to lapse. */
const EXPIRY_MARGIN_MS = 30_000;
const cache = new Map<string, Promise<{ token: string; expiresAt: number }>>();

export const oidcIssuer = (): string => testInfrastructure.oidcIssuer.replace(/\/$/, '');

const unreachable = (detail: string) =>
  new Error(
    `Keycloak is not reachable at ${oidcIssuer()} (OIDC_ISSUER_URL): ${detail}. Run the suite with ` +
      '`npm test`, which starts it, or `npm run keycloak start`.',
  );

async function requestToken(form: Record<string, string>, subject: string) {
  let response: Response;
  try {
    response = await fetch(`${oidcIssuer()}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
    throw unreachable(cause ?? (error as Error).message);
  }
  // Anything but JSON (a 404 page: no `nmirf` realm there) means this is not the expected provider.
  const body = (await response.json().catch(() => undefined)) as
    { access_token?: string; expires_in?: number; error?: string; error_description?: string } | undefined;
  if (!body) throw unreachable(`its token endpoint answered ${response.status} without JSON`);
  if (!response.ok || !body.access_token)
    throw new Error(
      `No token for ${subject}: ${response.status} ${body.error ?? ''} ${body.error_description ?? ''}`.trim(),
    );
  return { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 60) * 1_000 };
}

/** One request per subject at a time; the token is shared until it nears expiry. */
async function cachedToken(key: string, form: Record<string, string>): Promise<string> {
  const pending = cache.get(key);
  if (pending) {
    const cached = await pending.catch(() => undefined);
    if (cached && cached.expiresAt > Date.now() + EXPIRY_MARGIN_MS) return cached.token;
    if (cache.get(key) !== pending) return cachedToken(key, form); // another caller is refreshing it
  }
  const request = requestToken(form, key);
  cache.set(key, request);
  request.catch(() => cache.get(key) === request && cache.delete(key));
  return (await request).token;
}

/** An access token of a demo user (password grant of the public web client, enabled for local use only). */
export function demoToken(username: DemoUser): Promise<string> {
  return cachedToken(`user:${username}`, {
    grant_type: 'password',
    client_id: 'nmirf-web',
    username,
    password: DEMO_PASSWORD,
    scope: 'openid',
  });
}

/**
 * An access token of the integration service account (client credentials). Its scopes are optional
 * client scopes: a token carries only those asked for.
 */
export function serviceToken(scopes: string[] = ['imports:write', 'events:read']): Promise<string> {
  return cachedToken(`service:${[...scopes].sort().join(' ')}`, {
    grant_type: 'client_credentials',
    client_id: INTEGRATION_CLIENT.id,
    client_secret: INTEGRATION_CLIENT.secret,
    ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
  });
}

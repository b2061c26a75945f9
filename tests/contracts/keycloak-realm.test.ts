// The `nmirf` realm (infra/keycloak/realm/nmirf.json) on the real Keycloak: every token the services
// will see is signed RS256 by the realm's published key, names the realm as issuer and nmirf-api as
// audience, and carries the roles and institutions the services authorise by.
import { DEMO_USERS, demoToken, oidcIssuer, serviceToken, type DemoUser } from '@nmirf/testing';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';

jest.setTimeout(60_000);

const expected: Record<DemoUser, { roles: string[]; institutions: string[]; name: string }> = {
  admin: { roles: ['admin'], institutions: [], name: 'Ana Admin' },
  coordinator: { roles: ['coordinator'], institutions: ['NMIRF Secretariat'], name: 'Maja Novak' },
  'focal.justice': { roles: ['focal_point'], institutions: ['Ministry of Justice'], name: 'Tomaž Kralj' },
  'focal.interior': { roles: ['focal_point'], institutions: ['Ministry of Interior'], name: 'Petra Zupan' },
  'validator.justice': {
    roles: ['institution_validator'],
    institutions: ['Ministry of Justice'],
    name: 'Luka Horvat',
  },
  nhri: { roles: ['nhri'], institutions: ['Human Rights Ombudsman'], name: 'Eva Kos' },
  cso: { roles: ['civil_society'], institutions: ['Civil Society Coalition'], name: 'Jan Vidmar' },
};

interface Discovery {
  issuer: string;
  jwks_uri: string;
  token_endpoint: string;
  authorization_endpoint: string;
  code_challenge_methods_supported: string[];
}

describe('Keycloak realm nmirf (real Keycloak)', () => {
  let discovery: Discovery;
  let keys: ReturnType<typeof createRemoteJWKSet>;

  async function verify(token: string): Promise<JWTPayload> {
    expect(decodeProtectedHeader(token).alg).toBe('RS256');
    const { payload } = await jwtVerify(token, keys, {
      issuer: oidcIssuer(),
      audience: 'nmirf-api',
      algorithms: ['RS256'],
    });
    return payload;
  }

  beforeAll(async () => {
    const response = await fetch(`${oidcIssuer()}/.well-known/openid-configuration`).catch((error) => {
      throw new Error(
        `Keycloak is not reachable at ${oidcIssuer()} (OIDC_ISSUER_URL): ${error.cause ?? error}`,
      );
    });
    expect(response.status).toBe(200);
    discovery = (await response.json()) as Discovery;
    keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
  });

  it('publishes its discovery document and an RS256 signing key', async () => {
    expect(discovery.issuer).toBe(oidcIssuer());
    expect(discovery.code_challenge_methods_supported).toContain('S256');
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as {
      keys: Array<{ kty: string; use?: string; alg?: string; kid: string }>;
    };
    expect(jwks.keys).toContainEqual(expect.objectContaining({ kty: 'RSA', use: 'sig', alg: 'RS256' }));
  });

  it.each(DEMO_USERS)('gives %s a verifiable token with their roles and institutions', async (username) => {
    const claims = await verify(await demoToken(username));
    const want = expected[username];
    expect(claims.azp).toBe('nmirf-web');
    expect(claims.preferred_username).toBe(username);
    expect(claims.name).toBe(want.name);
    expect(typeof claims.sub).toBe('string');
    expect(claims.roles).toEqual(want.roles);
    // No institution: Keycloak leaves the claim out; the services read that as none.
    expect(claims.institutions ?? []).toEqual(want.institutions);
    // The standard claims notifications reads for mails, from the users' attributes.
    expect({ locale: claims.locale, zoneinfo: claims.zoneinfo }).toEqual({
      locale: 'en',
      zoneinfo: 'Europe/Ljubljana',
    });
  });

  it('gives the integration service account only the scopes it asks for, and no roles', async () => {
    const both = await verify(await serviceToken(['imports:write', 'events:read']));
    expect(both.azp).toBe('nmirf-integration');
    expect(both.preferred_username).toBe('service-account-nmirf-integration');
    expect(String(both.scope).split(' ')).toEqual(expect.arrayContaining(['imports:write', 'events:read']));
    expect(both.roles ?? []).toEqual([]);
    expect(both.institutions ?? []).toEqual([]);

    const eventsOnly = await verify(await serviceToken(['events:read']));
    expect(String(eventsOnly.scope).split(' ')).toContain('events:read');
    expect(String(eventsOnly.scope).split(' ')).not.toContain('imports:write');
  });

  it('lets the integration client use client credentials only, never a password', async () => {
    const response = await fetch(discovery.token_endpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: 'nmirf-integration',
        client_secret: 'nmirf-integration-demo-secret',
        username: 'coordinator',
        password: 'nmirf-demo',
      }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.json()).toMatchObject({ error: 'unauthorized_client' });
  });

  it('requires PKCE (S256) and a registered redirect URI for the web app', async () => {
    const authorize = (params: Record<string, string>) =>
      fetch(
        `${discovery.authorization_endpoint}?${new URLSearchParams({
          client_id: 'nmirf-web',
          response_type: 'code',
          scope: 'openid',
          state: 'state-1',
          ...params,
        })}`,
        { redirect: 'manual' },
      );
    const challenge = {
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    };

    const withPkce = await authorize({ redirect_uri: 'http://localhost:5173/callback', ...challenge });
    expect(withPkce.status).toBe(200); // the login page

    const withoutPkce = await authorize({ redirect_uri: 'http://127.0.0.1:5173/callback' });
    expect(withoutPkce.status).toBe(302);
    const back = new URL(withoutPkce.headers.get('location')!);
    expect(back.origin).toBe('http://127.0.0.1:5173');
    expect(back.searchParams.get('error')).toBe('invalid_request');

    // npm start's one origin and the browser tests' origin, with PKCE.
    for (const origin of ['http://127.0.0.1:3100', 'http://127.0.0.1:3180'])
      expect((await authorize({ redirect_uri: `${origin}/callback`, ...challenge })).status).toBe(200);
    const elsewhere = await authorize({ redirect_uri: 'http://attacker.example/callback', ...challenge });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get('location')).toBeNull();
  });
});

import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type JWK, type KeyLike } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProblemFilter } from '../http/problem.filter';
import { AccessTokenVerifier, InvalidTokenError } from './access-token';
import { Caller } from './auth.guard';
import { Public, Roles } from './policy';
import type { Principal } from './principal';
import { protectRoutes } from './protect-routes';
import { assertEveryRouteHasPolicy } from './route-policies';

/** A stand-in identity provider: discovery and a JWKS whose keys the test rotates. */
async function provider() {
  let keys: JWK[] = [];
  const server: Server = createServer((request, response) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    response.setHeader('content-type', 'application/json');
    if (request.url === '/realms/nmirf/.well-known/openid-configuration')
      response.end(
        JSON.stringify({ issuer: `${base}/realms/nmirf`, jwks_uri: `${base}/realms/nmirf/certs` }),
      );
    else if (request.url === '/realms/nmirf/certs') response.end(JSON.stringify({ keys }));
    else response.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/nmirf`;
  const newKey = async (kid: string) => {
    const pair = await generateKeyPair('RS256');
    return { kid, ...pair, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' } };
  };
  return {
    issuer,
    server,
    newKey,
    publish: (...published: Array<{ jwk: JWK }>) => (keys = published.map((key) => key.jwk)),
  };
}

const claims = {
  roles: ['focal_point', 'not-a-platform-role'],
  institutions: ['Ministry of Justice'],
  name: 'Ana Novak',
  preferred_username: 'focal.justice',
};

describe('access tokens', () => {
  let idp: Awaited<ReturnType<typeof provider>>;
  let key: { kid: string; privateKey: KeyLike; publicKey: KeyLike; jwk: JWK };
  let verifier: AccessTokenVerifier;

  const sign = (overrides: Record<string, unknown> = {}, signer = key, issuer = idp.issuer) =>
    new SignJWT({ ...claims, ...overrides })
      .setProtectedHeader({ alg: 'RS256', kid: signer.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience('nmirf-api')
      .setSubject('user-1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signer.privateKey);

  beforeAll(async () => {
    idp = await provider();
    key = await idp.newKey('key-1');
    idp.publish(key);
    verifier = new AccessTokenVerifier({
      issuer: idp.issuer,
      audience: 'nmirf-api',
      rolesClaim: 'roles',
      institutionsClaim: 'institutions',
      clockToleranceSeconds: 0,
    });
  });

  afterAll(() => idp.server.close());

  it('accepts a valid token and reads roles, institutions and name from it', async () => {
    const principal = await verifier.verify(await sign());
    expect(principal).toMatchObject({ subject: 'user-1', name: 'Ana Novak', kind: 'user' });
    expect([...principal.roles]).toEqual(['focal_point']);
    expect(principal.institutions).toEqual(['Ministry of Justice']);
  });

  it('reads roles from a nested claim, as other providers lay them out', async () => {
    const nested = new AccessTokenVerifier({
      issuer: idp.issuer,
      audience: 'nmirf-api',
      rolesClaim: 'realm_access.roles',
      institutionsClaim: 'institutions',
    });
    const principal = await nested.verify(
      await sign({ roles: undefined, realm_access: { roles: ['coordinator'] } }),
    );
    expect([...principal.roles]).toEqual(['coordinator']);
  });

  it('treats a client-credentials token as a service account with its scopes', async () => {
    const principal = await verifier.verify(
      await sign({
        roles: [],
        institutions: [],
        preferred_username: 'service-account-nmirf-integration',
        scope: 'imports:write profile',
      }),
    );
    expect(principal.kind).toBe('service');
    expect(principal.scopes.has('imports:write')).toBe(true);
  });

  const attacks: Array<[string, () => Promise<string>, RegExp]> = [
    [
      'expired',
      async () =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: key.kid })
          .setIssuer(idp.issuer)
          .setAudience('nmirf-api')
          .setSubject('user-1')
          .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(key.privateKey),
      /expired/,
    ],
    ['issued by another issuer', () => sign({}, key, 'https://elsewhere.example.org/realms/nmirf'), /iss/],
    [
      'meant for another audience',
      async () =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: key.kid })
          .setIssuer(idp.issuer)
          .setAudience('another-api')
          .setSubject('user-1')
          .setExpirationTime('5m')
          .sign(key.privateKey),
      /aud/,
    ],
    [
      'not yet valid',
      async () =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: key.kid })
          .setIssuer(idp.issuer)
          .setAudience('nmirf-api')
          .setSubject('user-1')
          .setNotBefore('10m')
          .setExpirationTime('20m')
          .sign(key.privateKey),
      /nbf/,
    ],
    [
      'unsigned (alg none)',
      async () =>
        new UnsecuredJWT(claims)
          .setIssuer(idp.issuer)
          .setAudience('nmirf-api')
          .setSubject('user-1')
          .setExpirationTime('5m')
          .encode(),
      /not valid|algorithm/,
    ],
    [
      'HS256 signed with the public key',
      async () =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', kid: key.kid })
          .setIssuer(idp.issuer)
          .setAudience('nmirf-api')
          .setSubject('user-1')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(await exportSPKI(key.publicKey))),
      /algorithm/,
    ],
    ['signed by an unknown key', async () => sign({}, await idp.newKey('unknown-kid')), /known key/],
    [
      'tampered with',
      async () => {
        const [header, , signature] = (await sign()).split('.');
        const payload = Buffer.from(
          JSON.stringify({ ...claims, roles: ['coordinator'], sub: 'user-1' }),
        ).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
      /not valid/,
    ],
    [
      'of another realm',
      async () => sign({}, await idp.newKey('key-1'), idp.issuer.replace('/realms/nmirf', '/realms/other')),
      /iss|not valid/,
    ],
  ];

  it.each(attacks)('refuses a token %s', async (_, token, reason) => {
    const promise = verifier.verify(await token());
    await expect(promise).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verify(await token())).rejects.toThrow(reason);
  });

  it('follows a key rotation: a token signed with the new key is accepted once the provider publishes it', async () => {
    const rotated = await idp.newKey('key-2');
    const fresh = new AccessTokenVerifier({
      issuer: idp.issuer,
      audience: 'nmirf-api',
      rolesClaim: 'roles',
      institutionsClaim: 'institutions',
      jwksCooldownMs: 0,
    });
    await fresh.verify(await sign()); // caches the key set with key-1 only
    idp.publish(key, rotated);
    await expect(fresh.verify(await sign({}, rotated))).resolves.toMatchObject({ subject: 'user-1' });
  });

  it('remembers a verified token until its exp, and never a refused one', async () => {
    let keyLookups = 0;
    const counting = new AccessTokenVerifier(
      { issuer: idp.issuer, audience: 'nmirf-api', rolesClaim: 'roles', institutionsClaim: 'institutions' },
      async () => {
        keyLookups += 1;
        return key.publicKey;
      },
    );
    const token = await sign();
    const first = await counting.verify(token);
    await expect(counting.verify(token)).resolves.toBe(first);
    expect(keyLookups).toBe(1);

    const tampered = `${token.slice(0, -4)}AAAA`;
    await expect(counting.verify(tampered)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(counting.verify(tampered)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(keyLookups).toBe(3);

    // Past its exp (5 minutes, beyond the 30 s tolerance) the token is checked again, and refused.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      jest.setSystemTime(Date.now() + 6 * 60_000);
      await expect(counting.verify(token)).rejects.toThrow(/expired/);
      expect(keyLookups).toBe(4);
    } finally {
      jest.useRealTimers();
    }
  });

  describe('on the HTTP edge', () => {
    @Controller('things')
    class ThingsController {
      @Get('public')
      @Public()
      open(@Caller() caller?: Principal) {
        return { caller: caller?.subject ?? null };
      }

      @Get('coordinators')
      @Roles('coordinator')
      restricted() {
        return { ok: true };
      }
    }

    @Module({ controllers: [ThingsController] })
    class ThingsModule {}

    let app: INestApplication;
    let url: string;
    const get = async (path: string, token?: string) => {
      const response = await fetch(`${url}${path}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return {
        status: response.status,
        body: await response.json(),
        challenge: response.headers.get('www-authenticate'),
      };
    };

    beforeAll(async () => {
      app = await NestFactory.create(ThingsModule, { logger: false });
      protectRoutes(app, {
        OIDC_ISSUER_URL: idp.issuer,
        OIDC_AUDIENCE: 'nmirf-api',
        OIDC_ROLES_CLAIM: 'roles',
        OIDC_INSTITUTIONS_CLAIM: 'institutions',
      });
      app.useGlobalFilters(new ProblemFilter());
      await app.listen(0, '127.0.0.1');
      url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/things`;
    });

    afterAll(() => app?.close());

    it('answers a public route anonymously, and with the caller when signed in', async () => {
      expect((await get('/public')).body).toEqual({ caller: null });
      expect((await get('/public', await sign())).body).toEqual({ caller: 'user-1' });
    });

    it('refuses a bad token even on a public route', async () => {
      const answer = await get('/public', 'not.a.token');
      expect(answer.status).toBe(401);
      expect(answer.challenge).toMatch(/invalid_token/);
    });

    it('asks an anonymous caller to sign in, and refuses a role that is not allowed', async () => {
      const anonymous = await get('/coordinators');
      expect(anonymous.status).toBe(401);
      expect(anonymous.challenge).toMatch(/^Bearer/);
      expect((await get('/coordinators', await sign())).status).toBe(403);
      expect((await get('/coordinators', await sign({ roles: ['coordinator'] }))).status).toBe(200);
    });

    it('refuses to start with a route that declares no policy', async () => {
      @Controller('forgotten')
      class ForgottenController {
        @Get()
        forgotten() {
          return {};
        }
      }
      @Module({ controllers: [ForgottenController] })
      class ForgottenModule {}
      const forgotten = await NestFactory.create(ForgottenModule, { logger: false });
      expect(() => assertEveryRouteHasPolicy(forgotten)).toThrow('ForgottenController.forgotten');
      await forgotten.close();
    });
  });
});

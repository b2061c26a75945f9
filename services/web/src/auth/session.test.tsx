import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, cleanup, render, screen } from '@testing-library/react';
import { OidcClient, UserManager, type SigninRedirectArgs } from 'oidc-client-ts';
import { afterEach, describe, expect, it } from 'vitest';
import { LocaleProvider } from '../i18n/LocaleProvider';
import { LOCALES, type Locale } from '../i18n/locales';
import { AuthProvider, useAuth } from './AuthProvider';
import { IDENTITY_PROVIDER_LOCALE, signInArgs } from './session';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const SETTINGS = {
  authority: 'https://idp.example/realms/nmirf',
  client_id: 'nmirf-web',
  redirect_uri: 'https://app.example/callback',
  // Given, so that nothing is fetched from the identity provider.
  metadata: {
    issuer: 'https://idp.example/realms/nmirf',
    authorization_endpoint: 'https://idp.example/realms/nmirf/protocol/openid-connect/auth',
  },
};

describe("the identity provider's language", () => {
  it.each([
    ['ar', 'ar'],
    ['zh', 'zh-CN'],
    ['en', 'en'],
    ['fr', 'fr'],
    ['ru', 'ru'],
    ['es', 'es'],
  ] as const)('%s signs in on a page in %s', (locale, tag) => {
    expect(signInArgs(locale)).toEqual({ ui_locales: tag });
  });

  it('names only locales the realm supports, one for each of the six languages', () => {
    const realm = JSON.parse(
      readFileSync(join(__dirname, '../../../../infra/keycloak/realm/nmirf.json'), 'utf8'),
    ) as { supportedLocales: string[] };
    expect(Object.keys(IDENTITY_PROVIDER_LOCALE).sort()).toEqual([...LOCALES].sort());
    for (const tag of Object.values(IDENTITY_PROVIDER_LOCALE)) expect(realm.supportedLocales).toContain(tag);
  });

  it('goes into the authorization request oidc-client-ts builds', async () => {
    const client = new OidcClient(SETTINGS);
    const request = await client.createSigninRequest({ request_type: 'si:r', ...signInArgs('zh') });
    expect(new URL(request.url).searchParams.get('ui_locales')).toBe('zh-CN');
  });
});

describe('signing in', () => {
  /** oidc-client-ts' own user manager, except that the redirect is recorded instead of leaving the page. */
  function recordingManager(redirects: unknown[]): UserManager {
    return new (class extends UserManager {
      override async signinRedirect(args?: SigninRedirectArgs): Promise<void> {
        redirects.push(args);
      }
    })({ ...SETTINGS, automaticSilentRenew: false });
  }

  function SignIn() {
    const { signIn } = useAuth();
    return (
      <button type="button" onClick={() => void signIn()}>
        go
      </button>
    );
  }

  it.each(['ar', 'zh'] as Locale[])('asks for the page in the language being read (%s)', async (locale) => {
    const redirects: unknown[] = [];
    render(
      <LocaleProvider initial={locale}>
        <AuthProvider manager={recordingManager(redirects)}>
          <SignIn />
        </AuthProvider>
      </LocaleProvider>,
    );
    const button = await screen.findByRole('button', { name: 'go' });
    await act(async () => {
      button.click();
    });
    expect(redirects).toEqual([{ ui_locales: IDENTITY_PROVIDER_LOCALE[locale] }]);
  });
});

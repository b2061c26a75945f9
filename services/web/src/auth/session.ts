import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { WebConfig } from '../config';
import type { Locale } from '../i18n/locales';

export const ROLES = [
  'admin',
  'coordinator',
  'focal_point',
  'institution_validator',
  'nhri',
  'civil_society',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is signed in, as the ID token says; the APIs check the access token on every call anyway. */
export interface Person {
  name: string;
  roles: Role[];
  institutions: string[];
}

export function personOf(user: User | null): Person | null {
  if (!user || user.expired) return null;
  const profile = user.profile as Record<string, unknown>;
  const list = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  return {
    name: String(profile.name ?? profile.preferred_username ?? ''),
    roles: list(profile.roles).filter((role): role is Role => (ROLES as readonly string[]).includes(role)),
    institutions: list(profile.institutions),
  };
}

export const CALLBACK_PATH = '/callback';

/**
 * Each language as the identity provider names it in `ui_locales`: the realm's supported locales
 * (infra/keycloak/realm/nmirf.json), where Chinese is `zh-CN`.
 */
export const IDENTITY_PROVIDER_LOCALE: Record<Locale, string> = {
  ar: 'ar',
  zh: 'zh-CN',
  en: 'en',
  fr: 'fr',
  ru: 'ru',
  es: 'es',
};

/** What the sign-in redirect carries so that Keycloak's page speaks the language the reader chose. */
export const signInArgs = (locale: Locale): { ui_locales: string } => ({
  ui_locales: IDENTITY_PROVIDER_LOCALE[locale],
});

/** Authorization code with PKCE (S256, oidc-client-ts' default); renewal with the refresh token. */
export function userManagerFor(config: WebConfig): UserManager {
  const origin = window.location.origin;
  return new UserManager({
    authority: config.oidcIssuer,
    client_id: config.oidcClientId,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    silent_redirect_uri: `${origin}/silent-renew.html`,
    response_type: 'code',
    scope: 'openid profile email',
    automaticSilentRenew: true,
    // The session lives as long as the tab: nothing of it outlasts closing the browser.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

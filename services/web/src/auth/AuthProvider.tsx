import type { UserManager } from 'oidc-client-ts';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useLocale } from '../i18n/LocaleProvider';
import { navigate } from '../router';
import { CALLBACK_PATH, personOf, signInArgs, type Person, type Role } from './session';

interface AuthState {
  person: Person | null;
  /** Until the stored session is read or the callback handled. */
  ready: boolean;
  error: string | null;
  signIn: () => Promise<void>;
  signOut: () => Promise<void>;
  accessToken: () => Promise<string | undefined>;
  hasRole: (...roles: Role[]) => boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}

const RETURN_TO = 'nmirf.returnTo';

export function AuthProvider({ manager, children }: { manager: UserManager; children: ReactNode }) {
  const [person, setPerson] = useState<Person | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { locale } = useLocale();

  useEffect(() => {
    const update = () => void manager.getUser().then((user) => setPerson(personOf(user)));
    manager.events.addUserLoaded(update);
    manager.events.addUserUnloaded(update);
    manager.events.addAccessTokenExpired(update);
    manager.events.addSilentRenewError(update);
    (async () => {
      try {
        if (window.location.pathname === CALLBACK_PATH) {
          await manager.signinRedirectCallback();
          const back = sessionStorage.getItem(RETURN_TO) ?? '/';
          sessionStorage.removeItem(RETURN_TO);
          navigate(back, { replace: true });
        }
        setPerson(personOf(await manager.getUser()));
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : String(failure));
        navigate('/', { replace: true });
      } finally {
        setReady(true);
      }
    })();
    return () => {
      manager.events.removeUserLoaded(update);
      manager.events.removeUserUnloaded(update);
      manager.events.removeAccessTokenExpired(update);
      manager.events.removeSilentRenewError(update);
    };
  }, [manager]);

  const state = useMemo<AuthState>(
    () => ({
      person,
      ready,
      error,
      signIn: async () => {
        sessionStorage.setItem(RETURN_TO, window.location.pathname + window.location.search);
        await manager.signinRedirect(signInArgs(locale));
      },
      signOut: async () => {
        const user = await manager.getUser();
        await manager.removeUser();
        await manager.signoutRedirect({ id_token_hint: user?.id_token });
      },
      accessToken: async () => {
        const user = await manager.getUser();
        return user && !user.expired ? user.access_token : undefined;
      },
      hasRole: (...roles) => Boolean(person?.roles.some((role) => roles.includes(role))),
    }),
    [manager, person, ready, error, locale],
  );
  return <AuthContext.Provider value={state}>{children}</AuthContext.Provider>;
}

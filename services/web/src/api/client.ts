import { useCallback, useEffect, useState } from 'react';
import { useAuth } from '../auth/AuthProvider';

export type Service = 'recommendations' | 'actions' | 'notifications' | 'reporting';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Every API sits under one origin, `/api/<service>/…`; a signed-in user's calls carry the token. */
export function useApi() {
  const { accessToken } = useAuth();
  return useCallback(
    async <T>(service: Service, path: string, init: RequestInit = {}): Promise<T> => {
      const token = await accessToken();
      const headers = new Headers(init.headers);
      headers.set('accept', 'application/json');
      if (token) headers.set('authorization', `Bearer ${token}`);
      if (init.body && typeof init.body === 'string') headers.set('content-type', 'application/json');
      const response = await fetch(`/api/${service}${path}`, { ...init, headers });
      const body = response.status === 204 ? undefined : await response.json().catch(() => undefined);
      if (!response.ok) throw new ApiError(response.status, body);
      return body as T;
    },
    [accessToken],
  );
}

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'failed'; error: Error; retry: () => void }
  | { state: 'done'; data: T; reload: () => void };

/** One GET, redone when its path changes or on retry. */
export function useGet<T>(service: Service, path: string | null): Loaded<T> {
  const api = useApi();
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    if (path === null) return;
    let current = true;
    setResult({ state: 'loading' });
    api<T>(service, path).then(
      (data) => current && setResult({ state: 'done', data, reload: () => setAttempt((n) => n + 1) }),
      (error: Error) =>
        current && setResult({ state: 'failed', error, retry: () => setAttempt((n) => n + 1) }),
    );
    return () => {
      current = false;
    };
  }, [api, service, path, attempt]);
  return result;
}

export interface JsonResponse<T = any> {
  status: number;
  body: T;
}

let defaultAuthorization: (() => Promise<string | undefined>) | undefined;

/**
 * Who a test's requests come from when they do not say: the end-to-end stack signs them in as the
 * demo coordinator. A request with its own `authorization` header (empty for anonymous) overrides it.
 */
export function setDefaultAuthorization(provider: (() => Promise<string | undefined>) | undefined): void {
  defaultAuthorization = provider;
}

/** Headers that make a request anonymous, or signed with `token`. */
export const bearer = (token?: string): Record<string, string> => ({
  authorization: token ? `Bearer ${token}` : '',
});

/** Headers for a request, with the default caller's token unless the caller chose one. */
export async function withAuthorization(
  headers: Record<string, string> = {},
): Promise<Record<string, string>> {
  const chosen = Object.keys(headers).find((name) => name.toLowerCase() === 'authorization');
  if (chosen !== undefined) {
    const { [chosen]: value, ...rest } = headers;
    return value ? { ...rest, authorization: value } : rest;
  }
  const token = await defaultAuthorization?.();
  return token ? { ...headers, authorization: `Bearer ${token}` } : headers;
}

/** A small JSON client for tests: returns status and parsed body, never throws on 4xx/5xx. */
export async function http<T = any>(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method,
    headers: await withAuthorization({
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    }),
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T };
}

// The one client of cpms's public HTTP APIs for both apps: the admin API (operator session cookie plus the
// CSRF header on changes, README "Operators and roles") and the driver API.

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

let csrfToken = '';
export const setCsrfToken = (token: string): void => void (csrfToken = token);

let onUnauthorized: () => void = () => undefined;
/** Called when the admin API answers 401 (the session expired or ended elsewhere): the dashboard signs in again. */
export const setOnUnauthorized = (handler: () => void): void => void (onUnauthorized = handler);

/** Calls `/api/v1<path>` (with `extraHeaders`, e.g. a driver's bearer token); resolves with the JSON answer (undefined for 204), rejects with ApiError. */
export async function api<T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (res.status === 204) return undefined as T;
  const json = await res.json().catch(() => ({}));
  if (res.status === 401 && path !== '/auth/login' && path !== '/auth/me' && !path.startsWith('/driver/')) onUnauthorized();
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? 'ERROR', json?.error?.message ?? `${res.status} ${res.statusText}`);
  return json as T;
}

/** A query string from the defined, non-empty values ("?a=1&b=x"), or "". */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The map tiles the server is configured with (empty: a plain background). */
export async function webConfig(): Promise<{ tileUrl: string }> {
  const res = await fetch('/web-config.json');
  return res.ok ? res.json() : { tileUrl: '' };
}

// A DOM in Node for the web apps' component tests (happy-dom), installed for one describe block only: the
// rest of the suite runs in the same mocha process and must keep Node's own globals (fetch above all).
import { GlobalRegistrator } from '@happy-dom/global-registrator';

export interface FakeCall { method: string; path: string; body: unknown }
type Answer = { status?: number; body?: unknown };
export type FakeRoutes = Record<string, Answer | ((call: FakeCall) => Answer)>;

/** Registers a DOM at `http://localhost/` before the block's tests and removes it after them. */
export function useDom(): void {
  before(() => GlobalRegistrator.register({ url: 'http://localhost/' }));
  after(async () => GlobalRegistrator.unregister());
}

/**
 * Answers the apps' fetch calls from `routes`, keyed `METHOD /path?query` (path after /api/v1); an unknown
 * call answers 404. Returns the calls made, in order. Call inside a test or a beforeEach, after useDom().
 */
export function fakeApi(routes: FakeRoutes): FakeCall[] {
  const calls: FakeCall[] = [];
  globalThis.fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost/');
    const call = { method: init.method ?? 'GET', path: `${url.pathname.replace(/^\/api\/v1/, '')}${url.search}`, body: init.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const route = routes[`${call.method} ${call.path}`];
    const answer = typeof route === 'function' ? route(call) : route ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: `no fake for ${call.method} ${call.path}` } } };
    const status = answer.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  return calls;
}

// A DOM in Node for the web apps' component tests (happy-dom), installed for one describe block only: the
// rest of the suite runs in the same mocha process and must keep Node's own globals (fetch above all).
import { GlobalRegistrator } from '@happy-dom/global-registrator';
import { configure } from '@testing-library/preact';

export interface FakeCall { method: string; path: string; body: unknown; headers: Record<string, string> }
type Answer = { status?: number; body?: unknown };
export type FakeRoutes = Record<string, Answer | ((call: FakeCall) => Answer)>;

/** The admin event stream as the dashboard opens it (GET /api/v1/events): tests push events through `emit`. */
export class FakeEventSource {
  static open: FakeEventSource[] = [];
  private readonly listeners = new Map<string, Array<(m: { data: string }) => void>>();
  isClosed = false;
  constructor(readonly url: string) {
    FakeEventSource.open.push(this);
  }
  addEventListener(type: string, fn: (m: { data: string }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  close(): void {
    this.isClosed = true;
  }
  /** Delivers one event of `type` to every stream still open. */
  static emit(type: string, data: object): void {
    for (const s of FakeEventSource.open.filter((x) => !x.isClosed)) for (const fn of s.listeners.get(type) ?? []) fn({ data: JSON.stringify(data) });
  }
}

/** Registers a DOM at `http://localhost/` (with a fake EventSource) before the block's tests and removes it after them. */
export function useDom(): void {
  before(() => {
    GlobalRegistrator.register({ url: 'http://localhost/' });
    Object.assign(globalThis, { EventSource: FakeEventSource });
    // findBy…/waitFor poll up to this long: a busy CI machine runs the whole suite on two cores.
    configure({ asyncUtilTimeout: 5000 });
  });
  beforeEach(() => {
    FakeEventSource.open = [];
    history.replaceState(null, '', '/');
  });
  after(async () => {
    delete (globalThis as { EventSource?: unknown }).EventSource;
    await GlobalRegistrator.unregister();
  });
}

/**
 * Answers the apps' fetch calls from `routes`, keyed `METHOD /path?query` or, for any query, `METHOD /path`
 * (the path after /api/v1); an unknown call answers 404. Returns the calls made, in order. Call inside a test
 * or a beforeEach, after useDom().
 */
export function fakeApi(routes: FakeRoutes): FakeCall[] {
  const calls: FakeCall[] = [];
  globalThis.fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost/');
    const pathname = url.pathname.replace(/^\/api\/v1/, '');
    const call = { method: init.method ?? 'GET', path: `${pathname}${url.search}`, body: init.body ? JSON.parse(String(init.body)) : undefined, headers: { ...(init.headers as Record<string, string>) } };
    calls.push(call);
    const route = routes[`${call.method} ${call.path}`] ?? routes[`${call.method} ${pathname}`];
    const answer = typeof route === 'function' ? route(call) : route ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: `no fake for ${call.method} ${call.path}` } } };
    const status = answer.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), { status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;
  return calls;
}

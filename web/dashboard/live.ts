// The admin event stream (GET /api/v1/events, SSE; the session cookie authenticates it), one per page.
import { useEffect } from 'preact/hooks';
import type { LiveEvent } from '../shared/charger-state.ts';

export const LIVE_TYPES = ['connector.status', 'charger.connected', 'charger.disconnected', 'charger.offline', 'session.started', 'session.updated', 'session.stopped', 'alert.opened', 'alert.closed'];

export function useLiveEvents(params: Record<string, string>, onEvent: (e: LiveEvent) => void, deps: unknown[] = []): void {
  useEffect(() => {
    const q = new URLSearchParams({ types: LIVE_TYPES.join(','), ...params });
    const source = new EventSource(`/api/v1/events?${q}`);
    for (const type of LIVE_TYPES) source.addEventListener(type, (m) => onEvent({ ...JSON.parse((m as MessageEvent).data), type }));
    return () => source.close();
  }, deps);
}

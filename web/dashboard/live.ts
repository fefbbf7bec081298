// The admin event stream (GET /api/v1/events, SSE; the session cookie authenticates it), one per page.
import { useEffect } from 'preact/hooks';
import type { LiveEvent } from '../shared/charger-state.ts';

export const LIVE_TYPES = ['connector.status', 'charger.connected', 'charger.disconnected', 'charger.offline', 'session.started', 'session.updated', 'session.stopped', 'alert.opened', 'alert.closed'];

/** The events that change the overview's counts (not every meter value of every session). */
export const STATUS_TYPES = ['connector.status', 'charger.connected', 'charger.disconnected', 'charger.offline'];

export function useLiveEvents(params: Record<string, string>, onEvent: (e: LiveEvent) => void, deps: unknown[] = [], types: string[] = LIVE_TYPES): void {
  useEffect(() => {
    const q = new URLSearchParams({ types: types.join(','), ...params });
    const source = new EventSource(`/api/v1/events?${q}`);
    for (const type of types) source.addEventListener(type, (m) => onEvent({ ...JSON.parse((m as MessageEvent).data), type }));
    return () => source.close();
  }, deps);
}

// Reloads on events without piling up requests: one load at a time, and one more after it if events came
// meanwhile, at most one a second (a busy network reports changes all the time). The newest `load` (with
// the page's current state) is the one that runs.
import { useRef } from 'preact/hooks';

const MIN_GAP_MS = 1000;

export function useCoalescedLoad(load: () => Promise<void>): () => void {
  const latest = useRef(load);
  latest.current = load;
  const state = useRef({ running: false, again: false });
  const run = useRef(async (): Promise<void> => {
    if (state.current.running) return void (state.current.again = true);
    state.current.running = true;
    try {
      await latest.current();
    } catch {
      // The next event or page change loads again; the page keeps what it showed.
    }
    if (!state.current.again) return void (state.current.running = false);
    // Still "running" during the gap: events meanwhile are folded into the one reload after it.
    setTimeout(() => {
      state.current.running = false;
      state.current.again = false;
      void run.current();
    }, MIN_GAP_MS);
  });
  return () => void run.current();
}

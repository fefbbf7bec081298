// Reloads on events without piling up requests: one load at a time, and one more after it if events came
// meanwhile. The newest `load` (with the page's current state) is the one that runs.
import { useRef } from 'preact/hooks';

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
    } finally {
      state.current.running = false;
      if (state.current.again) (state.current.again = false, void run.current());
    }
  });
  return () => void run.current();
}

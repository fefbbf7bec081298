// A fleet of simulated chargers in a process of its own, for benchmarks that hold more sockets than one
// process may open (each socket is an open file; see held-sockets.bench.ts). Started with `forkFleet`; over
// the IPC channel it takes its options and passwords, says when every charger is online, and stops when told.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Fleet } from '../src/simulator/index.ts';
import type { FleetOptions } from '../src/simulator/options.ts';

type ToFleet = { start: FleetOptions } | { stop: true };
type FromFleet = { online: true } | { stopped: true } | { failed: string };

/** The parent's handle on a fleet process. */
export interface FleetProcess {
  /** Resolves once every charger of the fleet is connected and accepted. */
  whenOnline(): Promise<void>;
  stop(): Promise<void>;
}

/** Forks this file as a fleet process running `options` (passwords included). */
export function forkFleet(options: FleetOptions): FleetProcess {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (want: 'online' | 'stopped') =>
    new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromFleet) => {
        if ('failed' in m) reject(new Error(`fleet process: ${m.failed}`));
        else if (want in m) resolve();
        else return;
        child.off('message', onMessage);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`fleet process exited (${code})`)));
    });
  const online = next('online');
  online.catch(() => undefined);
  child.send({ start: options } satisfies ToFleet);
  return {
    whenOnline: () => online,
    async stop() {
      if (child.exitCode !== null) return;
      const stopped = next('stopped');
      child.send({ stop: true } satisfies ToFleet);
      await stopped;
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

// In the forked process: run the fleet it is given.
if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  let fleet: Fleet | undefined;
  const send = (m: FromFleet) => process.send!(m);
  process.on('message', (m: ToFleet) => {
    if ('start' in m) {
      fleet = new Fleet(m.start);
      fleet.start();
      fleet.whenOnline().then(
        () => send({ online: true }),
        (err: Error) => send({ failed: err.message }),
      );
    } else if ('stop' in m) {
      void (fleet?.stop() ?? Promise.resolve()).then(() => {
        send({ stopped: true });
        process.disconnect();
      });
    }
  });
}

// What the fleet and its callers use of a charger's protocol adapter, whatever its OCPP version.
import type { SimCharger } from './model/charger.ts';
import type { ChargerLink } from './model/types.ts';

export interface Station extends ChargerLink {
  readonly model: SimCharger;
  readonly identity: string;
  /** Messages waiting to be sent, transaction messages kept while offline included. */
  readonly queued: number;
  start(): void;
  /** Resolves once the charger is connected and accepted. */
  whenOnline(): Promise<void>;
  /** Lets the queue empty (bounded by `timeoutMs`), then closes for good. */
  stop(timeoutMs: number): Promise<void>;
  /** The benchmarks' closed loop of meter values while `running()`. */
  flood(running: () => boolean): Promise<void>;
  /** A network failure: the socket drops without a close handshake; the charger reconnects with backoff. */
  dropConnection(): void;
  /** The server's (1.6, a number) or the station's (2.0.1, a string) id of the model's transaction `ref`. */
  transactionId(ref: string): number | string | undefined;
}

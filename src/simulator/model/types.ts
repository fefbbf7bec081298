// The protocol-neutral vocabulary of a simulated charger: what the model tells its protocol adapter and
// what the adapter asks of the model. An OCPP version is an adapter over these (OCPP 1.6 now, 2.0.1 later).
import type { IdTagInfo } from './authorization.ts';
import type { ChargingState, EvSpec } from './power.ts';

export interface ChargerSpec {
  id: string;
  connectors: number;
  /** line-to-neutral voltage */
  voltage: number;
  /** phases of the supply (1 or 3) */
  phases: number;
  /** what each connector can give, per phase */
  maxCurrentA: number;
  /** each connector's meter register at start, Wh */
  meterStartWh: number[];
  /** OCPP 2.0.1: connectors per EVSE, of which one at a time is used (./evse.ts; default 1) */
  connectorsPerEvse?: number;
}

export interface ChargerSettings {
  meterIntervalSec: number;
  /** how long an authorized driver has to plug in before the start is cancelled (OCPP 1.6 ConnectionTimeOut) */
  connectionTimeoutSec: number;
  stopTxOnInvalidId: boolean;
  authorizeRemoteTx: boolean;
  localAuthorizeOffline: boolean;
  allowOfflineTxForUnknownId: boolean;
  /** how long a driver takes to unplug once the transaction stopped (Finishing) */
  unplugDelaySec: number;
  /** how long a driver who started remotely takes to plug in */
  plugDelaySec: number;
}

export interface EvArrival {
  spec: EvSpec;
  socPct: number;
}

export interface Transaction {
  /** the charger's own reference; the adapter maps it to the protocol's transaction id */
  ref: string;
  connectorId: number;
  idTag: string;
  startedAt: number;
  meterStartWh: number;
  reservationId?: number;
}

/** OCPP 1.6 Reason (OCPP 2.0.1 ReasonEnumType has the same ones, spelled alike). */
export type StopReason = 'Local' | 'Remote' | 'EVDisconnected' | 'SoftReset' | 'HardReset' | 'UnlockCommand' | 'DeAuthorized' | 'Reboot' | 'PowerLoss' | 'Other' | 'EmergencyStop';

/** OCPP 1.6 ReadingContext, shared with OCPP 2.0.1. */
export type SampleContext = 'Sample.Periodic' | 'Transaction.Begin' | 'Transaction.End' | 'Trigger';

export interface MeterSample {
  at: number;
  energyWh: number;
  powerW: number;
  /** L1..Ln of the supply */
  currentsA: number[];
  voltageV: number;
  socPct?: number;
  context: SampleContext;
}

/** What the model says to the server, through the protocol adapter. */
export interface ChargerLink {
  /** connected and accepted by the server */
  readonly isOnline: boolean;
  connectorChanged(connectorId: number): void;
  /** the server's answer, or undefined when it could not be asked */
  authorize(idTag: string): Promise<IdTagInfo | undefined>;
  transactionStarted(tx: Transaction, sample: MeterSample): void;
  meterValues(connectorId: number, tx: Transaction | undefined, sample: MeterSample): void;
  transactionStopped(tx: Transaction, sample: MeterSample, reason: StopReason, idTag?: string): void;
}

/** What the fleet hears from a charger (session driver, statistics). */
export interface ChargerHooks {
  /** the EV a driver who started remotely brings */
  newEv(connectorId: number): EvArrival;
  /** the connector is free again (Available) */
  connectorIdle?(connectorId: number): void;
  transactionStarted?(tx: Transaction): void;
  transactionStopped?(tx: Transaction, reason: StopReason): void;
}

/** A connector as the adapter (its status) and tests (its draw) see it. */
export interface ConnectorView {
  id: number;
  operative: boolean;
  faulted: boolean;
  evPlugged: boolean;
  /** an authorized driver who has not plugged in yet */
  awaitingPlug: boolean;
  reserved: boolean;
  /** transaction over, EV still plugged */
  finishing: boolean;
  tx?: Transaction;
  chargingState?: ChargingState;
  /** another connector of its EVSE is in use (only set then) */
  evseBusy?: true;
  currentA: number;
  phases: number;
  powerW: number;
  energyWh: number;
  socPct?: number;
}

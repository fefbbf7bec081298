// One simulated charger as the fleet, tests and benchmarks use it: the neutral model, its protocol
// adapter and (optionally) the drivers who use it.
import { createHmac } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import { SessionBehaviour } from './behaviour.ts';
import { SimCharger } from './model/charger.ts';
import type { ChargerHooks, ConnectorView, EvArrival } from './model/types.ts';
import { Ocpp16Station } from './ocpp16/station.ts';
import { Ocpp201Station } from './ocpp201/station.ts';
import { idTag, chargerId, protocolOf, type ResolvedOptions } from './options.ts';
import { deriveSeed, seededRandom, uniform, type Random } from './random.ts';
import type { Station } from './station.ts';
import type { SimulationStats } from './stats.ts';

/** A charger's password derived from a fleet secret: HMAC-SHA256(secret, id), 24 base64url characters. */
export function derivePassword(secret: string, id: string): string {
  return createHmac('sha256', secret).update(id).digest('base64url').slice(0, 24);
}

/** A plausible EV: 3-phase (or single-phase with the given share) at 16 or 32 A, 40–100 kWh, 10–70 % full. */
export function randomEv(random: Random, singlePhaseShare: number, supplyPhases: number): EvArrival {
  const phases = supplyPhases === 1 || random() < singlePhaseShare ? 1 : 3;
  const maxCurrentA = random() < 0.5 ? 16 : 32;
  const batteryWh = [40_000, 60_000, 77_000, 100_000][Math.floor(random() * 4)];
  return { spec: { phases, maxCurrentA, batteryWh }, socPct: uniform(random, 10, 70) };
}

const CONNECTION_TIMEOUT_SEC = 60;

export class SimulatedCharger {
  readonly id: string;
  readonly model: SimCharger;
  readonly protocol: 'ocpp1.6' | 'ocpp2.0.1';
  readonly station: Station;
  readonly password: string | undefined;
  private readonly behaviour: SessionBehaviour | undefined;
  private readonly random: Random;

  constructor(r: ResolvedOptions, index: number, stats: SimulationStats, clock: Clock) {
    this.id = chargerId(r, r.firstIndex + index);
    this.random = seededRandom(deriveSeed(r.seed, r.firstIndex + index));
    this.password = r.passwords?.[this.id] ?? (r.passwordSecret !== undefined ? derivePassword(r.passwordSecret, this.id) : r.password);
    const newEv = () => randomEv(this.random, r.singlePhaseShare, r.phases);
    const hooks: ChargerHooks = { newEv, connectorIdle: (c) => this.behaviour?.connectorIdle(c) };
    const meterStartWh = Array.from({ length: r.connectors }, () => Math.floor(this.random() * 5_000_000));
    this.protocol = protocolOf(r, index);
    const spec = { id: this.id, connectors: r.connectors, voltage: r.voltage, phases: r.phases, maxCurrentA: r.maxCurrentA, meterStartWh, ...(this.protocol === 'ocpp2.0.1' ? { connectorsPerEvse: r.connectorsPerEvse } : {}) };
    const settings = { meterIntervalSec: r.meterIntervalSec, connectionTimeoutSec: CONNECTION_TIMEOUT_SEC, stopTxOnInvalidId: true, authorizeRemoteTx: false, localAuthorizeOffline: true, allowOfflineTxForUnknownId: false, unplugDelaySec: r.unplugDelaySec, plugDelaySec: r.plugDelaySec };
    this.model = new SimCharger(spec, settings, clock, hooks);
    const common = { url: r.url, ca: r.ca, clientCert: r.clientCert, callTimeoutMs: r.callTimeoutSec * 1000, reconnectMinMs: r.reconnectMinSec * 1000, reconnectMaxMs: r.reconnectMaxSec * 1000, rebootDelayMs: r.rebootDelaySec * 1000, random: this.random, stats, heartbeatIntervalSec: r.heartbeatIntervalSec };
    this.station =
      this.protocol === 'ocpp2.0.1'
        ? new Ocpp201Station(this.model, {
            ...common,
            chargingStation: { vendorName: 'cpms', model: 'Simulator', serialNumber: this.id.slice(-25), firmwareVersion: '1.0.0' },
            variables: fleetVariables(r),
            ownVariables: { 'SecurityCtrlr/BasicAuthPassword': this.password ?? '', 'SecurityCtrlr/Identity': this.id },
          })
        : new Ocpp16Station(this.model, {
            ...common,
            firmwareStepMs: r.firmwareStepSec * 1000,
            boot: { chargePointVendor: 'cpms', chargePointModel: 'Simulator', chargePointSerialNumber: this.id.slice(-25), firmwareVersion: '1.0.0', meterType: 'SimMeter' },
            configuration: fleetConfiguration(r),
            ownConfiguration: { AuthorizationKey: this.password ?? '' },
          });
    if (r.sessions && !r.flood) this.behaviour = new SessionBehaviour(this.model, r.sessions, this.random, (c) => idTag(r, index, c), newEv);
  }

  /** Connects; sessions begin once the server accepted the charger. */
  start(): void {
    this.station.start();
    if (this.behaviour) void this.station.whenOnline().then(() => this.behaviour?.start());
  }

  /** Stops sessions (when asked), lets the queue empty (bounded by `drainMs`), closes. */
  async stop(o: { stopSessions: boolean; drainMs: number }): Promise<void> {
    this.behaviour?.stop();
    this.model.shutDown(o.stopSessions ? 'Local' : undefined);
    await this.station.stop(o.drainMs);
    this.model.dispose();
  }

  whenOnline(): Promise<void> {
    return this.station.whenOnline();
  }

  /** A driver plugs in an EV (a random one unless given) and presents `tag`. */
  startSession(connectorId: number, tag: string, ev?: EvArrival): Promise<'started' | 'stopped' | 'waiting' | 'refused'> {
    this.model.plugIn(connectorId, ev ?? randomEv(this.random, 0, this.model.spec.phases));
    return this.model.presentIdTag(connectorId, tag);
  }

  /** The driver stops the transaction on `connectorId` with the id tag that started it. */
  async stopSession(connectorId: number): Promise<void> {
    const tx = this.model.connector(connectorId)?.tx;
    if (tx) await this.model.presentIdTag(connectorId, tx.idTag);
  }

  connector(connectorId: number): ConnectorView {
    return this.model.view(connectorId);
  }

  /** The transactionId of the transaction running on `connectorId`: 1.6 the server's (once it answered), 2.0.1 the station's. */
  transactionId(connectorId: number): number | string | undefined {
    const tx = this.model.connector(connectorId)?.tx;
    return tx && this.station.transactionId(tx.ref);
  }
}

// One device model per fleet, as for the 1.6 configuration below.
const deviceModels = new WeakMap<ResolvedOptions, Readonly<Record<string, string>>>();

function fleetVariables(r: ResolvedOptions): Readonly<Record<string, string>> {
  let v = deviceModels.get(r);
  if (!v) deviceModels.set(r, (v = Object.freeze(initialVariables(r))));
  return v;
}

function initialVariables(r: ResolvedOptions): Record<string, string> {
  return {
    'OCPPCommCtrlr/HeartbeatInterval': String(r.heartbeatIntervalSec),
    'OCPPCommCtrlr/MessageAttempts/TransactionEvent': '3',
    'OCPPCommCtrlr/MessageAttemptInterval/TransactionEvent': String(r.transactionRetrySec),
    'SecurityCtrlr/SecurityProfile': '1',
    'AuthCtrlr/AuthorizeRemoteStart': 'false',
    'AuthCtrlr/LocalAuthorizeOffline': 'true',
    'AuthCtrlr/OfflineTxForUnknownIdEnabled': 'false',
    'AuthCacheCtrlr/Enabled': 'true',
    'LocalAuthListCtrlr/Enabled': 'true',
    'LocalAuthListCtrlr/Entries': '0',
    'TxCtrlr/EVConnectionTimeOut': String(CONNECTION_TIMEOUT_SEC),
    'TxCtrlr/StopTxOnInvalidId': 'true',
    'SampledDataCtrlr/TxUpdatedInterval': String(r.meterIntervalSec),
    'SampledDataCtrlr/TxUpdatedMeasurands': 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,SoC',
    'SampledDataCtrlr/TxEndedMeasurands': 'Energy.Active.Import.Register',
    'SmartChargingCtrlr/Enabled': 'true',
    'SmartChargingCtrlr/ProfileStackLevel': '8',
    'SmartChargingCtrlr/PeriodsPerSchedule': '24',
    'SmartChargingCtrlr/RateUnit': 'A,W',
    'ReservationCtrlr/Enabled': 'true',
    'DeviceDataCtrlr/ItemsPerMessage/GetReport': '10',
  };
}

// One configuration object per fleet: 20,000 chargers share it (each keeps only what it changed).
const configurations = new WeakMap<ResolvedOptions, Readonly<Record<string, string>>>();

function fleetConfiguration(r: ResolvedOptions): Readonly<Record<string, string>> {
  let c = configurations.get(r);
  if (!c) configurations.set(r, (c = Object.freeze(initialConfiguration(r))));
  return c;
}

function initialConfiguration(r: ResolvedOptions): Record<string, string> {
  return {
    AllowOfflineTxForUnknownId: 'false',
    AuthorizationCacheEnabled: 'true',
    AuthorizeRemoteTxRequests: 'false',
    ChargeProfileMaxStackLevel: '8',
    ChargingScheduleAllowedChargingRateUnit: 'Current,Power',
    ChargingScheduleMaxPeriods: '24',
    ClockAlignedDataInterval: '0',
    ConnectionTimeOut: String(CONNECTION_TIMEOUT_SEC),
    GetConfigurationMaxKeys: '50',
    HeartbeatInterval: String(r.heartbeatIntervalSec),
    LocalAuthListEnabled: 'true',
    LocalAuthListMaxLength: '1000',
    LocalAuthorizeOffline: 'true',
    LocalPreAuthorize: 'false',
    MaxChargingProfilesInstalled: '32',
    MeterValuesAlignedData: '',
    MeterValuesSampledData: 'Energy.Active.Import.Register,Power.Active.Import,Current.Import,SoC',
    MeterValueSampleInterval: String(r.meterIntervalSec),
    NumberOfConnectors: String(r.connectors),
    ReserveConnectorZeroSupported: 'false',
    ResetRetries: '1',
    SendLocalListMaxLength: '100',
    StopTransactionOnEVSideDisconnect: 'true',
    StopTransactionOnInvalidId: 'true',
    StopTxnAlignedData: '',
    StopTxnSampledData: 'Energy.Active.Import.Register',
    SupportedFeatureProfiles: 'Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger',
    TransactionMessageAttempts: '3',
    TransactionMessageRetryInterval: String(r.transactionRetrySec),
    UnlockConnectorOnEVSideDisconnect: 'true',
    WebSocketPingInterval: '0',
  };
}

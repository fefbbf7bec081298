// Pure: the options of a simulated fleet, their defaults and their checks (a bad one is InvalidInput naming
// it), and the names derived from them: charger ids and id tags.
import { InvalidInput } from '../shared/errors.ts';
import type { SessionOptions } from './behaviour.ts';
import type { ClientCertificate } from './ocpp-j/socket.ts';

/** `mixed`: a share (`ocpp201Share`) of the chargers speaks OCPP 2.0.1, the others 1.6. */
export const PROTOCOLS = ['ocpp1.6', 'ocpp2.0.1', 'mixed'] as const;
export type SimProtocol = (typeof PROTOCOLS)[number];

export interface FleetOptions {
  /** the OCPP endpoint without the identity, e.g. ws://localhost:8080/ocpp */
  url: string;
  protocol?: string;
  /** with protocol `mixed`: the share of chargers that speak OCPP 2.0.1, spread evenly over the fleet (default 0.5) */
  ocpp201Share?: number;
  chargers: number;
  /** charger ids are the prefix and a zero-padded number */
  idPrefix?: string;
  firstIndex?: number;
  connectors?: number;
  /** OCPP 2.0.1 stations: connectors per EVSE, one usable at a time (a 1.6 charger has no EVSEs: ignored) */
  connectorsPerEvse?: number;
  /** one Basic-auth password for every charger */
  password?: string;
  /** or: each charger's password derived from this secret and its id */
  passwordSecret?: string;
  /** or: each charger's own password by id, e.g. the ones cpms generated at a bulk import */
  passwords?: Record<string, string>;
  /** id tags to use, in turn; default: one per connector, `<tokenPrefix><number>[-<connector>]` */
  tokens?: string[];
  tokenPrefix?: string;
  meterIntervalSec?: number;
  /** heartbeat until the server gives an interval */
  heartbeatIntervalSec?: number;
  callTimeoutSec?: number;
  /** random sessions; false: the chargers only answer the server (and the library caller) */
  sessions?: SessionOptions | false;
  /** closed-loop MeterValues flood (benchmarks) instead of sessions */
  flood?: boolean;
  /** spread the first connections over this many seconds */
  rampUpSec?: number;
  seed?: number;
  /** CA certificate(s) to trust for wss:// */
  ca?: string | Buffer;
  /** TLS client certificate and key (security profile 3); its subject CN must be the charger's id */
  clientCert?: ClientCertificate;
  voltage?: number;
  phases?: number;
  maxCurrentA?: number;
  /** share of EVs with a single-phase on-board charger */
  singlePhaseShare?: number;
  reconnectMinSec?: number;
  reconnectMaxSec?: number;
  rebootDelaySec?: number;
  unplugDelaySec?: number;
  plugDelaySec?: number;
  transactionRetrySec?: number;
  /** stop the running transactions at the end (StopTransaction reason Local) */
  stopSessionsAtEnd?: boolean;
  /** firmware update / diagnostics upload: pause between status notifications */
  firmwareStepSec?: number;
}

export type ResolvedOptions = Required<Omit<FleetOptions, 'password' | 'passwordSecret' | 'passwords' | 'tokens' | 'ca' | 'clientCert' | 'protocol'>> & Pick<FleetOptions, 'password' | 'passwordSecret' | 'passwords' | 'tokens' | 'ca' | 'clientCert'> & { protocol: SimProtocol };

const DEFAULTS = {
  idPrefix: 'SIM-',
  firstIndex: 1,
  connectors: 1,
  connectorsPerEvse: 1,
  meterIntervalSec: 60,
  heartbeatIntervalSec: 300,
  callTimeoutSec: 30,
  sessions: { probability: 0.8, durationSec: 1800, idleSec: 600 },
  flood: false,
  rampUpSec: 0,
  seed: 1,
  voltage: 230,
  phases: 3,
  maxCurrentA: 32,
  singlePhaseShare: 0.2,
  reconnectMinSec: 1,
  reconnectMaxSec: 60,
  rebootDelaySec: 2,
  unplugDelaySec: 5,
  plugDelaySec: 2,
  transactionRetrySec: 10,
  stopSessionsAtEnd: true,
  firmwareStepSec: 2,
  ocpp201Share: 0.5,
};

// OCPP 1.6 IdToken: CiString20Type
const MAX_ID_TAG = 20;
// cpms (and most servers) take charger identities up to 48 characters
const MAX_IDENTITY = 48;

function check(ok: boolean, message: string): void {
  if (!ok) throw new InvalidInput(message);
}

const positive = (x: number) => Number.isFinite(x) && x > 0;
const nonNegative = (x: number) => Number.isFinite(x) && x >= 0;

/** The options with their defaults, checked. */
export function resolveOptions(o: FleetOptions): ResolvedOptions {
  const r = { ...DEFAULTS, tokenPrefix: `T${o.idPrefix ?? DEFAULTS.idPrefix}`, ...stripUndefined(o) } as ResolvedOptions;
  check(/^wss?:\/\/[^/]+/.test(r.url), 'url: must be a ws:// or wss:// URL of the OCPP endpoint, e.g. ws://localhost:8080/ocpp');
  check((PROTOCOLS as readonly string[]).includes(r.protocol ?? 'ocpp1.6'), `protocol: must be one of ${PROTOCOLS.join(', ')}`);
  r.protocol = (r.protocol ?? 'ocpp1.6') as SimProtocol;
  check(Number.isInteger(r.chargers) && r.chargers > 0, 'chargers: must be a positive integer');
  // Security profile 3: a client certificate is presented over TLS only, and names one charger (its CN).
  if (r.clientCert) check(r.url.startsWith('wss://'), 'clientCert: needs a wss:// url');
  if (r.clientCert) check(r.chargers === 1, 'clientCert: names one charger (its subject CN): chargers must be 1');
  check(Number.isInteger(r.connectors) && r.connectors > 0 && r.connectors <= 10, 'connectors: must be an integer from 1 to 10');
  check(Number.isInteger(r.connectorsPerEvse) && r.connectorsPerEvse > 0 && r.connectors % r.connectorsPerEvse === 0, 'connectorsPerEvse: must be a positive integer that divides connectors');
  check(Number.isInteger(r.firstIndex) && r.firstIndex >= 0, 'firstIndex: must be a non-negative integer');
  for (const k of ['meterIntervalSec', 'heartbeatIntervalSec', 'callTimeoutSec', 'voltage', 'maxCurrentA', 'reconnectMinSec', 'reconnectMaxSec'] as const) check(positive(r[k]), `${k}: must be a positive number`);
  for (const k of ['rampUpSec', 'rebootDelaySec', 'unplugDelaySec', 'plugDelaySec', 'transactionRetrySec', 'firmwareStepSec'] as const) check(nonNegative(r[k]), `${k}: must be a number ≥ 0`);
  check(r.phases === 1 || r.phases === 3, 'phases: must be 1 or 3');
  check(nonNegative(r.ocpp201Share) && r.ocpp201Share <= 1, 'ocpp201Share: must be between 0 and 1');
  check(nonNegative(r.singlePhaseShare) && r.singlePhaseShare <= 1, 'singlePhaseShare: must be between 0 and 1');
  check(Number.isInteger(r.seed), 'seed: must be an integer');
  if (r.sessions) {
    check(nonNegative(r.sessions.probability) && r.sessions.probability <= 1, 'sessions.probability: must be between 0 and 1');
    check(positive(r.sessions.durationSec) && positive(r.sessions.idleSec), 'sessions.durationSec and sessions.idleSec: must be positive numbers');
  }
  check(r.password === undefined || (r.password.length >= 8 && r.password.length <= 40), 'password: must be 8 to 40 characters');
  check(r.password === undefined || r.passwordSecret === undefined, 'password: give a password or a password secret, not both');
  check(r.tokens === undefined || (r.tokens.length > 0 && r.tokens.every((t) => t.length > 0 && t.length <= MAX_ID_TAG)), `tokens: each must be 1 to ${MAX_ID_TAG} characters`);
  check(chargerId(r, r.firstIndex + r.chargers - 1).length <= MAX_IDENTITY, `idPrefix: charger ids would be longer than ${MAX_IDENTITY} characters`);
  check(r.tokens !== undefined || idTag(r, r.chargers - 1, r.connectors).length <= MAX_ID_TAG, `tokenPrefix: id tags would be longer than ${MAX_ID_TAG} characters (OCPP 1.6 IdToken)`);
  return r;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function digits(r: ResolvedOptions): number {
  return Math.max(5, String(r.firstIndex + r.chargers - 1).length);
}

/** The OCPP version the `index`-th charger (0-based) speaks: with `mixed`, every 1/share-th one speaks 2.0.1. */
export function protocolOf(r: ResolvedOptions, index: number): 'ocpp1.6' | 'ocpp2.0.1' {
  if (r.protocol !== 'mixed') return r.protocol;
  return Math.floor((index + 1) * r.ocpp201Share) > Math.floor(index * r.ocpp201Share) ? 'ocpp2.0.1' : 'ocpp1.6';
}

/** The id of the charger with fleet number `n`, e.g. SIM-00001. */
export function chargerId(r: ResolvedOptions, n: number): string {
  return `${r.idPrefix}${String(n).padStart(digits(r), '0')}`;
}

/** The id tag the driver of the `index`-th charger (0-based) uses at `connectorId`. */
export function idTag(r: ResolvedOptions, index: number, connectorId: number): string {
  if (r.tokens) return r.tokens[(index * r.connectors + connectorId - 1) % r.tokens.length];
  return `${r.tokenPrefix}${String(r.firstIndex + index).padStart(digits(r), '0')}${r.connectors > 1 ? `-${connectorId}` : ''}`;
}

/** Every id tag the fleet uses (what `--register` creates). */
export function allIdTags(r: ResolvedOptions): string[] {
  if (r.tokens) return [...new Set(r.tokens)];
  const tags: string[] = [];
  for (let i = 0; i < r.chargers; i++) for (let c = 1; c <= r.connectors; c++) tags.push(idTag(r, i, c));
  return tags;
}

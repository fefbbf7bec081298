// `cpms simulate`: runs a fleet of simulated OCPP chargers against any OCPP server for a while, prints a
// summary and exits. Opens no database: it is a client (src/simulator).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidInput } from '../shared/errors.ts';
import { Fleet, formatSummary, registerFleet, type FleetOptions } from '../simulator/index.ts';
import { adminApiUrl } from '../simulator/register.ts';

type Out = (line: string) => void;

interface SimulateFlags {
  url: string;
  chargers: number;
  duration: number;
  protocol: string;
  ocpp201Share: number;
  meterInterval: number;
  register?: boolean;
  apiKey?: string;
  apiUrl?: string;
  location?: string;
  idPrefix: string;
  firstIndex: number;
  connectors: number;
  connectorsPerEvse: number;
  password?: string;
  passwordSecret?: string;
  tokens?: string;
  tokenPrefix?: string;
  sessions: boolean;
  sessionProbability: number;
  sessionDuration: number;
  idleTime: number;
  flood?: boolean;
  rampUp: number;
  seed: number;
  ca?: string;
  cert?: string;
  key?: string;
  maxCurrent: number;
  phases: number;
  singlePhaseShare: number;
  callTimeout: number;
  heartbeatInterval: number;
  reconnectMin: number;
  keepSessions?: boolean;
  json?: boolean;
}

// The library names an option in its error messages; the CLI user knows the flag.
const FLAGS: Record<string, string> = {
  url: '--url', protocol: '--protocol', ocpp201Share: '--ocpp201-share', chargers: '--chargers', connectors: '--connectors', connectorsPerEvse: '--connectors-per-evse', firstIndex: '--first-index',
  meterIntervalSec: '--meter-interval', heartbeatIntervalSec: '--heartbeat-interval', callTimeoutSec: '--call-timeout',
  maxCurrentA: '--max-current', reconnectMinSec: '--reconnect-min', rampUpSec: '--ramp-up', phases: '--phases',
  singlePhaseShare: '--single-phase-share', seed: '--seed', 'sessions.probability': '--session-probability',
  'sessions.durationSec and sessions.idleSec': '--session-duration and --idle-time', password: '--password',
  tokens: '--tokens', clientCert: '--cert', idPrefix: '--id-prefix', tokenPrefix: '--token-prefix', register: '--register',
};

const num = (v: string) => (v.trim() === '' ? NaN : Number(v));

function readFlagFile(flag: string, file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (err) {
    throw new InvalidInput(`${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function toFleetOptions(o: SimulateFlags): FleetOptions {
  const ca = readFlagFile('--ca', o.ca);
  if ((o.cert === undefined) !== (o.key === undefined)) throw new InvalidInput('--cert and --key: give both (security profile 3) or neither');
  const cert = readFlagFile('--cert', o.cert);
  const key = readFlagFile('--key', o.key);
  return {
    url: o.url,
    protocol: o.protocol,
    ocpp201Share: o.ocpp201Share,
    chargers: o.chargers,
    idPrefix: o.idPrefix,
    firstIndex: o.firstIndex,
    connectors: o.connectors,
    connectorsPerEvse: o.connectorsPerEvse,
    password: o.password,
    passwordSecret: o.passwordSecret,
    tokens: o.tokens?.split(',').map((t) => t.trim()),
    tokenPrefix: o.tokenPrefix,
    meterIntervalSec: o.meterInterval,
    heartbeatIntervalSec: o.heartbeatInterval,
    callTimeoutSec: o.callTimeout,
    sessions: o.sessions && !o.flood ? { probability: o.sessionProbability, durationSec: o.sessionDuration, idleSec: o.idleTime } : false,
    flood: o.flood === true,
    rampUpSec: o.rampUp,
    seed: o.seed,
    ca,
    clientCert: cert && key ? { cert, key } : undefined,
    maxCurrentA: o.maxCurrent,
    phases: o.phases,
    singlePhaseShare: o.singlePhaseShare,
    reconnectMinSec: o.reconnectMin,
    stopSessionsAtEnd: !o.keepSessions,
  };
}

function newFleet(o: SimulateFlags): Fleet {
  try {
    return new Fleet(toFleetOptions(o));
  } catch (err) {
    if (!(err instanceof InvalidInput)) throw err;
    const [key, ...rest] = err.message.split(': ');
    throw new InvalidInput(`${FLAGS[key] ?? key}: ${rest.join(': ')}`);
  }
}

/** Waits `sec` seconds, or less when the user presses Ctrl-C (the summary is still printed). */
function runFor(sec: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    const timer = setTimeout(done, sec * 1000);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

async function simulate(o: SimulateFlags, out: Out): Promise<void> {
  if (!(Number.isFinite(o.duration) && o.duration > 0)) throw new InvalidInput('--duration: must be a positive number of seconds');
  if (o.register && !o.apiKey) throw new InvalidInput('--register: needs --api-key');
  const fleet = newFleet(o);
  if (o.register) {
    if (!o.password && !o.passwordSecret) throw new InvalidInput('--register: needs --password or --password-secret (the chargers are created with it)');
    const apiUrl = o.apiUrl ?? adminApiUrl(o.url);
    const r = await registerFleet(fleet, { apiUrl, apiKey: o.apiKey!, locationId: o.location });
    out(`registered at ${apiUrl}: chargers ${r.chargers.created} created, ${r.chargers.existing} existing; id tags ${r.tokens.created} created, ${r.tokens.existing} existing`);
  }
  out(`simulating ${fleet.chargers.length} charger(s) (${fleet.options.idPrefix}…) against ${o.url} for ${o.duration} s${o.flood ? ', MeterValues flood' : ''}`);
  fleet.start();
  await runFor(o.duration);
  const summary = await fleet.stop();
  if (o.json) out(JSON.stringify(summary, null, 2));
  else for (const line of formatSummary(summary)) out(line);
  if (summary.connected === 0) throw new Error(`no charger could connect to ${o.url} (see the errors above)`);
}

/** Adds `simulate` to the `cpms` command tree. */
export function addSimulateCommand(program: Command, out: Out): void {
  program
    .command('simulate')
    .description('run a fleet of simulated OCPP chargers against a server for a while, then print a summary (exit 1 if none could connect)')
    .requiredOption('--url <url>', 'OCPP endpoint without the charger id, e.g. ws://localhost:8080/ocpp (wss:// for TLS)')
    .requiredOption('--chargers <n>', 'number of chargers', num)
    .requiredOption('--duration <s>', 'how long to run, in seconds', num)
    .option('--protocol <version>', 'OCPP version: ocpp1.6, ocpp2.0.1, or mixed (a share of the chargers speaks 2.0.1, the rest 1.6)', 'ocpp1.6')
    .option('--ocpp201-share <p>', 'with --protocol mixed: share of the chargers that speak OCPP 2.0.1, 0..1', num, 0.5)
    .option('--meter-interval <s>', 'seconds between the MeterValues of a transaction (MeterValueSampleInterval)', num, 60)
    .option('--register', 'first create the chargers and their id tags through the admin API (needs --api-key)')
    .option('--api-key <key>', 'admin API key for --register')
    .option('--api-url <url>', 'admin API base for --register (default: http(s)://<host of --url>/api/v1)')
    .option('--location <id>', 'with --register: attach each charger to this existing location (CDRs need one)')
    .option('--id-prefix <prefix>', 'charger ids are the prefix and a number, e.g. SIM-00001', 'SIM-')
    .option('--first-index <n>', 'number of the first charger (to run several fleets side by side)', num, 1)
    .option('--connectors <n>', 'connectors per charger', num, 1)
    .option('--connectors-per-evse <n>', 'OCPP 2.0.1: connectors per EVSE, one usable at a time (divides --connectors)', num, 1)
    .option('--password <pw>', 'Basic-auth password of every charger (OCPP security profile 1)')
    .option('--password-secret <secret>', "derive each charger's password from this secret: HMAC-SHA256(secret, id)")
    .option('--tokens <list>', 'comma-separated id tags the drivers use, in turn (default: one per connector, T<id>[-<connector>])')
    .option('--token-prefix <prefix>', 'prefix of the default id tags (default: T and the id prefix)')
    .option('--no-sessions', 'no drivers: the chargers boot, heartbeat and answer the server only')
    .option('--session-probability <p>', 'chance that an arrival leads to a session, 0..1', num, 0.8)
    .option('--session-duration <s>', 'mean session length in seconds', num, 1800)
    .option('--idle-time <s>', 'mean idle time between sessions in seconds', num, 600)
    .option('--flood', 'benchmark mode: each charger sends MeterValues back to back (one outstanding call), no sessions')
    .option('--ramp-up <s>', 'spread the first connections evenly over this many seconds', num, 0)
    .option('--seed <n>', 'random seed: the same seed takes the same decisions', num, 1)
    .option('--ca <file>', 'CA certificate (PEM) to trust for wss://')
    .option('--cert <file>', 'client certificate (PEM) for wss:// (OCPP security profile 3; its subject CN is the charger id: --chargers 1)')
    .option('--key <file>', 'private key (PEM) of --cert')
    .option('--max-current <A>', 'what each connector can give, per phase', num, 32)
    .option('--phases <n>', 'phases of the chargers (1 or 3)', num, 3)
    .option('--single-phase-share <p>', 'share of EVs that charge on one phase, 0..1', num, 0.2)
    .option('--call-timeout <s>', 'how long a charger waits for an answer', num, 30)
    .option('--heartbeat-interval <s>', 'heartbeat until the server gives an interval at boot', num, 300)
    .option('--reconnect-min <s>', 'first reconnect delay; it doubles up to 60 s', num, 1)
    .option('--keep-sessions', 'leave running transactions open at the end (default: stop them)')
    .option('--json', 'print the summary as JSON')
    .action((o: SimulateFlags) => simulate(o, out));
}

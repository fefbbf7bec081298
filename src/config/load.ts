import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import cron from 'node-cron';
import schema from './schema.json' with { type: 'json' };
import { InvalidInput } from '../shared/errors.ts';
import { packageFile } from '../shared/package-files.ts';
import type { ConnectorDataKey } from '../chargers/connector-data-keys.ts';

export interface Config {
  port: number;
  host: string;
  /** Base URL partners and chargers use to reach this node, e.g. https://cpms.example.com; derived when empty. */
  publicUrl: string;
  databaseUrl: string;
  /** redis:// URL of the cluster bus; empty = a single node (commands only reach local sockets). */
  redisUrl: string;
  /**
   * Group commit of charger reports (MeterValues, StatusNotification): the first report of an idle writer
   * waits batchWindowMs for others, at most maxBatch go in one transaction; last-seen/heartbeat times are
   * kept in memory and written every lastSeenFlushMs (0 = written with each message). On PostgreSQL up to
   * maxConcurrentBatches transactions of a writer run at once (the embedded database has one connection: 1).
   */
  ingest: { batchWindowMs: number; maxBatch: number; maxConcurrentBatches: number; lastSeenFlushMs: number };
  dataDir: string;
  /**
   * `cpms serve`: V8's old-generation growth before the next full collection, in percent of the live heap
   * (0 = V8's own, up to 4× while allocating fast). Issue 8: a storm of boots leaves hundreds of MB of garbage
   * that the default keeps; a small value keeps RSS near the live heap (held sockets) for more collections.
   */
  heapGrowingPercent: number;
  logLevel: string;
  /** json lines, a readable coloured line, or auto (readable when stdout is a terminal) */
  logFormat: 'auto' | 'json' | 'pretty';
  nodeId: string;
  /** A request (headers and body) not received within this time is answered 408 and its socket closed. */
  /** caFile: CAs trusted for charger client certificates (OCPP security profile 3); empty = profile 3 off. */
  tls: {
    certFile: string;
    keyFile: string;
    caFile: string;
    /** Encrypts the operator CA's private key at rest (SignCertificate); empty: charger CSRs are refused. */
    caKeySecret: string;
    /** Validity of a charger certificate the operator CA issues. */
    issuedCertificateDays: number;
    /** The certificate-renewal job (renewalCron) triggers a new CSR this long before a certificate ends. */
    renewBeforeDays: number;
    renewalCron: string;
  };
  ocpp: {
    path: string;
    acceptUnknownChargers: boolean;
    heartbeatIntervalSec: number;
    pendingIntervalSec: number;
    callTimeoutSec: number;
    offlineAfterMissedHeartbeats: number;
    offlineCheckCron: string;
    /** Schedule of the OCPP 2.0.1 CostUpdated job (running totals of 2.0.1 transactions). */
    costUpdatedCron?: string;
    /** Largest WebSocket frame a charger may send; a bigger one closes its socket with 1009. */
    maxFrameBytes: number;
    /** Inbound calls of one charger that may wait behind the one being handled; more get a CALLERROR. */
    maxQueuedInboundCalls: number;
    /** Token bucket over each charger's inbound calls; callsPerSec 0 = no limit. */
    rateLimit: { callsPerSec: number; burst: number };
    /** A socket without credentials or not Accepted must send a BootNotification within this. */
    firstMessageTimeoutSec: number;
    /** WebSocket ping interval; a socket that missed the previous pong is terminated (0 = no pings). */
    pingIntervalSec: number;
    /** On shutdown, how long the calls chargers are waiting for may take to be answered. */
    shutdownGraceSec: number;
    auth: {
      /** Password checks (scrypt on the libuv pool, default size 4) running at once, and waiting. */
      maxConcurrentVerifications: number;
      maxQueuedVerifications: number;
      /** Retry-After of a 503 when every verification slot and queue place is taken. */
      busyRetryAfterSec: number;
      /** A handshake whose authentication has not answered by then is refused with 503 (the charger retries). */
      handshakeTimeoutSec: number;
      /** The `password-rotation` job (passwordRotationCron) rotates passwords older than this (0: off), at most passwordRotationBatch per run. */
      passwordRotationDays: number;
      passwordRotationCron: string;
      passwordRotationBatch: number;
      /** Per-node back-off after failed logins, per charger id and per remote address (0 = off). */
      backoff: { failuresPerId: number; failuresPerAddress: number; windowSec: number; baseSec: number; maxSec: number; maxEntries: number };
    };
    /**
     * Highest OCPP connectorId accepted from any charger (a charger's own NumberOfConnectors, once known,
     * is the tighter limit); a higher one is refused rather than registered as a connector.
     */
    maxConnectorId: number;
    /** Vendor configuration keys that carry connector data (OCPP 1.6 has no standard key). */
    connectorDataKeys: ConnectorDataKey[];
  };
  /** Node's HTTP server limits (slowloris, slow bodies), shared by OCPP handshakes, admin API and OCPI. */
  http: { headersTimeoutSec: number; requestTimeoutSec: number; keepAliveTimeoutSec: number; maxNewConnectionsReading: number };
  jobs: { enabled: boolean; embeddedUpkeepCron: string; runsRetentionDays: number; runsRetentionCron: string };
  /** Operator logins (admin API sessions): session lifetime, and lock-out after failed logins. */
  auth: { sessionTtlMin: number; maxFailedLogins: number; lockoutMin: number };
  /** The operator's own OCPI party (country_code + party_id, ISO 3166 alpha-2 + 3 characters). */
  operator: { countryCode: string; partyId: string; name: string };
  billing: {
    /** Currency of CDRs of sessions without a tariff snapshot (priced at zero). */
    defaultCurrency: string;
    /** An ACTIVE session whose charger sent nothing (no meter value, no message) this long is closed. */
    staleSessionAfterMin: number;
    /** Schedule of the `stale-sessions` job. */
    staleSessionsCron: string;
    /** Schedule of the `settlement` job (daily and monthly statements, UTC periods). */
    settlementCron: string;
    /** A period is settled only this long after its end. */
    settlementGraceMin: number;
    /** A session longer than this is not billed automatically (a charger clock error): FAILED, for the operator. */
    maxSessionDays: number;
  };
  /** Live monitoring (GET /api/v1/events): event retention for Last-Event-ID replay, SSE heartbeats. */
  events: {
    /** Events older than this are deleted by the `events-retention` job (a resume from before gets what is left). */
    retentionHours: number;
    retentionCron: string;
    /** A comment line is sent this often on an idle stream (keeps proxies from closing it). */
    heartbeatSec: number;
    /** Each node reads new events at least this often (a safety net: new events normally wake it at once). */
    pollIntervalMs: number;
  };
  /** Analytics (issue 9): the `analytics-rollup` job storing each EVSE's time figures per ended local day. */
  analytics: {
    rollupCron: string;
    /** Days back from today the job keeps stored (older days are computed live when asked for). */
    rollupLookbackDays: number;
  };
  /** Drivers' access (issue 9): schedule of the `local-auth-lists` job (SendLocalList to every charger that needs it). */
  access: { localListCron: string };
  /** Stuck sessions (issue 15): idle connectors, operator stops and the zombie rules (0 = rule off). */
  sessions: {
    /** A session whose connector reported Available/Unavailable/Faulted this long ago, unconfirmed, is closed (CONNECTOR_IDLE). */
    idleConnectorGraceSec: number;
    /** Schedule of the `idle-connectors` job. */
    idleConnectorCron: string;
    /** How long POST /sessions/{id}/stop waits for the charger's StopTransaction after an accepted RemoteStopTransaction. */
    remoteStopWaitSec: number;
    /** Schedule of the `zombie-sessions` job. */
    zombieCron: string;
    zombie: {
      noEnergyMin: number;
      noEnergyAction: 'close' | 'alert';
      noProgressHours: number;
      noProgressAction: 'close' | 'alert';
      tooLongHours: number;
      tooLongAction: 'close' | 'alert';
    };
  };
  /** Alert rules (issue 9); 0 turns a threshold's rule off. */
  alerts: {
    /** Schedule of the `alert-rules` job. */
    evaluateCron: string;
    /** An ACTIVE session without meter values this long gets NO_METER_VALUES. */
    noMeterValuesMin: number;
    /** A connector in Preparing/Finishing this long gets CONNECTOR_STUCK. */
    connectorStuckMin: number;
    /** REPEATED_FAILED_STARTS: this many refused starts in a row on a connector… */
    failedStartsCount: number;
    /** …all within this many minutes. */
    failedStartsWindowMin: number;
    /** A SecurityEventNotification not critical per the whitepaper raises a warning SECURITY_EVENT (critical ones always a critical one). */
    nonCriticalSecurityEvents?: boolean;
  };
  /** Maintenance windows and firmware campaigns (issue 9). */
  maintenance: {
    /** Schedule of the `maintenance-windows` job (starts and ends windows). */
    windowsCron: string;
    /** Schedule of the `firmware-campaigns` job (sends UpdateFirmware within each campaign's time window). */
    firmwareCampaignsCron: string;
    /** Where chargers upload diagnostics (GetDiagnostics.location) unless a request names another; empty: every request must. */
    diagnosticsLocation: string;
    /** GetLog uploads (/uploads/logs) larger than this are refused with 413. */
    logUploadMaxBytes: number;
  };
  /** OCPP 2.0.1 ISO 15118 certificate messages (issue 12): the OCSP responders and the contract certificate pool cpms asks for stations. */
  iso15118?: {
    /** Timeout of an OCSP request (GetCertificateStatus) and of a contract certificate pool request (Get15118EVCertificate). */
    timeoutMs: number;
    /** A good OCSP answer is reused until its nextUpdate, at most this many seconds (this long when it has none). */
    ocspCacheSec: number;
    /** Hosts (host or host:port) a station's OCSP responderURL may name; empty: any. */
    ocspAllowedHosts: string[];
    /** Where Get15118EVCertificate requests are forwarded (POST JSON); empty: none, the station is answered Failed/NoCertificatePool. */
    contractCertificateUrl: string;
    /** Authorization header value sent to the contract certificate pool; empty: none. */
    contractCertificateAuthorization: string;
  };
  /** The web apps (issue 11): map tiles as a Leaflet URL template; empty: points on a plain background. */
  web: {
    tileUrl: string;
    /** The public driver API's rate limit: a token bucket per client address (429 with Retry-After beyond it). */
    driverRateLimit: { perSec: number; burst: number; maxClients: number };
  };
  /** Load management (issue 10): how the capacity of the load groups is shared and applied. */
  loadManagement: {
    /** Schedule of the `load-management` job (a reallocation on a timer, besides the event triggers). */
    cron: string;
    /** A burst of triggers (sessions starting, meter values) runs one allocation this long after the first. */
    debounceMs: number;
    /** How far ahead the schedules plan, in steps of stepSec. */
    horizonSec: number;
    stepSec: number;
    /** IEC 61851-1: the lowest non-zero limit a charger honours; below it a session is paused. */
    minCurrentA: number;
    /** A charger's limit per phase when neither its connector rating nor the operator gives one. */
    defaultMaxCurrentA: number;
    /** Phase-to-neutral voltage (energy estimates, W limits of eMSP profiles). */
    voltage: number;
    /** A session's measured current changing by this much (A, any phase) triggers a reallocation. */
    drawChangeA: number;
    /** Measured draw of a group above its planned load by more than this opens a LOAD_LIMIT_EXCEEDED alert. */
    overDrawToleranceA: number;
    /** Periods per TxProfile (OCPP 1.6 ChargingScheduleMaxPeriods of most chargers: 24 or more). */
    maxSchedulePeriods: number;
    /**
     * Hold each idle charger's safe share (its TxDefaultProfile) free, so that a transaction starting before the
     * next run never overloads a group; false: that capacity goes to the running sessions, at the risk of a brief overload.
     */
    reserveIdleShare: boolean;
  };
  /** Webhook deliveries (issue 9): signed POSTs, retried with exponential backoff. */
  webhooks: {
    /** Schedule of the `webhook-delivery` job (a safety net: a new delivery is sent at once). */
    deliveryCron: string;
    timeoutSec: number;
    /** After this many failed attempts a delivery is FAILED for good. */
    maxAttempts: number;
    backoffBaseSec: number;
    backoffMaxSec: number;
  };
  /** Prometheus metrics at /metrics (issue 14). */
  metrics: {
    enabled: boolean;
    /** 0: on the main port (then a token is required, or the scrape must come from this machine); else a port of their own. */
    port: number;
    /** A bearer token the scraper must send; empty: none. */
    token: string;
  };
  ocpi: {
    /** Largest `limit` of a paginated OCPI GET (transport §4.1.3); a bigger or absent limit gets this. */
    maxPageLimit: number;
    /**
     * Rendered OCPI locations pages (and list counts) kept per node while the database's change stamp is
     * unchanged, bounded by their size in bytes; 0 = none kept.
     */
    locationsCacheMaxBytes: number;
    /** Largest OCPI request body read, after the Token header was checked; a larger one is answered 413. */
    maxBodyBytes: number;
    /** Token bucket per authenticated partner, per node; excess requests are answered 429. */
    rateLimit: { requestsPerSec: number; burst: number };
    /**
     * Hosts (`host` or `host:port`) a `response_url` may point at besides the partner's registered ones
     * (its versions URL and endpoints); `*` = any host.
     */
    responseUrlAllowedHosts: string[];
    /** Timeout of every call to a partner platform (handshake, pushes, real-time authorization). */
    partnerTimeoutSec: number;
    /** Real-time authorization (tokens §12.2.2.2) timeout: below the charger's own call timeout. */
    realtimeAuthTimeoutMs: number;
    /** How long a real-time answer for an ALLOWED token is reused (0 = never cached). */
    authorizationCacheTtlSec: number;
    /** Schedule of the `authorization-cache-expiry` job. */
    authorizationCacheExpiryCron: string;
    /** Schedule of the `token-sync` job (pull of every eMSP's token list). */
    tokenSyncCron: string;
    push: {
      /** Run the outbox push worker in `serve`. */
      enabled: boolean;
      /** How often the worker polls ocpi_outbox when nothing kicked it. */
      intervalMs: number;
      /** Rows claimed per delivery pass. */
      batchSize: number;
      /** Retry n waits backoffBaseSec * 2^(n-1), capped at backoffMaxSec. */
      backoffBaseSec: number;
      backoffMaxSec: number;
      /** A claimed row is re-sent by any node after this long if its sender never recorded the outcome. */
      leaseSec: number;
      /** A push that failed this many attempts becomes DEAD (0 = retried forever). */
      maxAttempts: number;
      /** Schedule of the `outbox-retry` job (one delivery pass under a cluster-wide lock). */
      retryCron: string;
    };
  };
}

type Parse = (raw: string) => unknown;
const int: Parse = (raw) => (/^-?\d+$/.test(raw) ? Number(raw) : raw);
const num: Parse = (raw) => (raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw);
const bool: Parse = (raw) => (raw === 'true' ? true : raw === 'false' ? false : raw);
const str: Parse = (raw) => raw;
const list: Parse = (raw) => raw.split(',').map((item) => item.trim()).filter((item) => item !== '');

/** The one table of environment variables: name → config key path and parser. */
export const ENV_VARS: ReadonlyArray<[string, string, Parse]> = [
  ['PORT', 'port', int],
  ['HOST', 'host', str],
  ['PUBLIC_URL', 'publicUrl', str],
  ['DATABASE_URL', 'databaseUrl', str],
  ['REDIS_URL', 'redisUrl', str],
  ['INGEST_BATCH_WINDOW_MS', 'ingest.batchWindowMs', int],
  ['INGEST_MAX_BATCH', 'ingest.maxBatch', int],
  ['INGEST_MAX_CONCURRENT_BATCHES', 'ingest.maxConcurrentBatches', int],
  ['INGEST_LAST_SEEN_FLUSH_MS', 'ingest.lastSeenFlushMs', int],
  ['DATA_DIR', 'dataDir', str],
  ['LOG_LEVEL', 'logLevel', str],
  ['LOG_FORMAT', 'logFormat', str],
  ['METRICS_ENABLED', 'metrics.enabled', bool],
  ['METRICS_PORT', 'metrics.port', int],
  ['METRICS_TOKEN', 'metrics.token', str],
  ['HEAP_GROWING_PERCENT', 'heapGrowingPercent', int],
  ['NODE_ID', 'nodeId', str],
  ['TLS_CERT_FILE', 'tls.certFile', str],
  ['TLS_KEY_FILE', 'tls.keyFile', str],
  ['TLS_CA_FILE', 'tls.caFile', str],
  ['TLS_CA_KEY_SECRET', 'tls.caKeySecret', str],
  ['OCPP_ACCEPT_UNKNOWN_CHARGERS', 'ocpp.acceptUnknownChargers', bool],
  ['OCPP_HEARTBEAT_INTERVAL_SEC', 'ocpp.heartbeatIntervalSec', int],
  ['OCPP_CALL_TIMEOUT_SEC', 'ocpp.callTimeoutSec', int],
  ['OCPP_OFFLINE_AFTER_MISSED_HEARTBEATS', 'ocpp.offlineAfterMissedHeartbeats', num],
  ['OCPP_MAX_FRAME_BYTES', 'ocpp.maxFrameBytes', int],
  ['OCPP_MAX_QUEUED_INBOUND_CALLS', 'ocpp.maxQueuedInboundCalls', int],
  ['OCPP_RATE_LIMIT_CALLS_PER_SEC', 'ocpp.rateLimit.callsPerSec', num],
  ['OCPP_RATE_LIMIT_BURST', 'ocpp.rateLimit.burst', int],
  ['OCPP_FIRST_MESSAGE_TIMEOUT_SEC', 'ocpp.firstMessageTimeoutSec', int],
  ['OCPP_PING_INTERVAL_SEC', 'ocpp.pingIntervalSec', int],
  ['OCPP_SHUTDOWN_GRACE_SEC', 'ocpp.shutdownGraceSec', int],
  ['OCPP_AUTH_MAX_CONCURRENT_VERIFICATIONS', 'ocpp.auth.maxConcurrentVerifications', int],
  ['OCPP_AUTH_MAX_QUEUED_VERIFICATIONS', 'ocpp.auth.maxQueuedVerifications', int],
  ['OCPP_AUTH_BUSY_RETRY_AFTER_SEC', 'ocpp.auth.busyRetryAfterSec', int],
  ['OCPP_AUTH_HANDSHAKE_TIMEOUT_SEC', 'ocpp.auth.handshakeTimeoutSec', int],
  ['OCPP_AUTH_BACKOFF_FAILURES_PER_ID', 'ocpp.auth.backoff.failuresPerId', int],
  ['OCPP_AUTH_BACKOFF_FAILURES_PER_ADDRESS', 'ocpp.auth.backoff.failuresPerAddress', int],
  ['OCPP_AUTH_BACKOFF_WINDOW_SEC', 'ocpp.auth.backoff.windowSec', int],
  ['OCPP_AUTH_BACKOFF_BASE_SEC', 'ocpp.auth.backoff.baseSec', int],
  ['OCPP_AUTH_BACKOFF_MAX_SEC', 'ocpp.auth.backoff.maxSec', int],
  ['OCPP_AUTH_BACKOFF_MAX_ENTRIES', 'ocpp.auth.backoff.maxEntries', int],
  ['HTTP_HEADERS_TIMEOUT_SEC', 'http.headersTimeoutSec', int],
  ['HTTP_REQUEST_TIMEOUT_SEC', 'http.requestTimeoutSec', int],
  ['HTTP_KEEP_ALIVE_TIMEOUT_SEC', 'http.keepAliveTimeoutSec', int],
  ['HTTP_MAX_NEW_CONNECTIONS_READING', 'http.maxNewConnectionsReading', int],
  ['OCPP_MAX_CONNECTOR_ID', 'ocpp.maxConnectorId', int],
  ['JOBS_ENABLED', 'jobs.enabled', bool],
  ['JOBS_EMBEDDED_UPKEEP_CRON', 'jobs.embeddedUpkeepCron', str],
  ['JOBS_RUNS_RETENTION_DAYS', 'jobs.runsRetentionDays', int],
  ['AUTH_SESSION_TTL_MIN', 'auth.sessionTtlMin', int],
  ['AUTH_MAX_FAILED_LOGINS', 'auth.maxFailedLogins', int],
  ['AUTH_LOCKOUT_MIN', 'auth.lockoutMin', int],
  ['OPERATOR_COUNTRY_CODE', 'operator.countryCode', str],
  ['OPERATOR_PARTY_ID', 'operator.partyId', str],
  ['OPERATOR_NAME', 'operator.name', str],
  ['OCPI_MAX_PAGE_LIMIT', 'ocpi.maxPageLimit', int],
  ['OCPI_LOCATIONS_CACHE_MAX_BYTES', 'ocpi.locationsCacheMaxBytes', int],
  ['OCPI_MAX_BODY_BYTES', 'ocpi.maxBodyBytes', int],
  ['OCPI_RATE_LIMIT_PER_SEC', 'ocpi.rateLimit.requestsPerSec', num],
  ['OCPI_RATE_LIMIT_BURST', 'ocpi.rateLimit.burst', int],
  ['OCPI_RESPONSE_URL_ALLOWED_HOSTS', 'ocpi.responseUrlAllowedHosts', list],
  ['OCPI_PARTNER_TIMEOUT_SEC', 'ocpi.partnerTimeoutSec', int],
  ['OCPI_REALTIME_AUTH_TIMEOUT_MS', 'ocpi.realtimeAuthTimeoutMs', int],
  ['OCPI_PUSH_ENABLED', 'ocpi.push.enabled', bool],
  ['OCPI_PUSH_INTERVAL_MS', 'ocpi.push.intervalMs', int],
  ['OCPI_PUSH_MAX_ATTEMPTS', 'ocpi.push.maxAttempts', int],
  ['BILLING_DEFAULT_CURRENCY', 'billing.defaultCurrency', str],
  ['BILLING_STALE_SESSION_AFTER_MIN', 'billing.staleSessionAfterMin', int],
  ['BILLING_MAX_SESSION_DAYS', 'billing.maxSessionDays', int],
  ['SESSIONS_IDLE_CONNECTOR_GRACE_SEC', 'sessions.idleConnectorGraceSec', int],
  ['EVENTS_RETENTION_HOURS', 'events.retentionHours', int],
  ['EVENTS_HEARTBEAT_SEC', 'events.heartbeatSec', int],
  ['SESSIONS_REMOTE_STOP_WAIT_SEC', 'sessions.remoteStopWaitSec', int],
  ['DIAGNOSTICS_LOCATION', 'maintenance.diagnosticsLocation', str],
  ['ISO15118_OCSP_ALLOWED_HOSTS', 'iso15118.ocspAllowedHosts', list],
  ['ISO15118_CONTRACT_CERTIFICATE_URL', 'iso15118.contractCertificateUrl', str],
  ['ISO15118_CONTRACT_CERTIFICATE_AUTHORIZATION', 'iso15118.contractCertificateAuthorization', str],
  ['WEB_TILE_URL', 'web.tileUrl', str],
  ['WEB_DRIVER_RATE_PER_SEC', 'web.driverRateLimit.perSec', num],
  ['WEB_DRIVER_RATE_BURST', 'web.driverRateLimit.burst', int],
];

const defaultsUrl = packageFile('config/default.json');
const validate = new Ajv({ allErrors: false, strict: true }).compile(schema);

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
}

/**
 * Builds the configuration from config/default.json, then `overrides` (e.g. from tests), then the
 * environment. Throws InvalidInput naming the key (and env var) of the first bad value.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, unknown> = {}): Config {
  const config = JSON.parse(readFileSync(defaultsUrl, 'utf8')) as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) setPath(config, key, value);
  const fromEnv = new Map<string, string>();
  for (const [name, key, parse] of ENV_VARS) {
    const raw = env[name];
    if (raw === undefined || (raw === '' && name !== 'DATABASE_URL')) continue;
    setPath(config, key, parse(raw));
    fromEnv.set(key, name);
  }
  if (!validate(config)) {
    const err = validate.errors![0];
    // A missing or unknown property is reported on its parent object: name the property itself.
    const { missingProperty, additionalProperty } = err.params as { missingProperty?: string; additionalProperty?: string };
    const key = [err.instancePath.slice(1).replaceAll('/', '.'), missingProperty ?? additionalProperty].filter(Boolean).join('.') || '(root)';
    // The variable that set the key, or the list the bad item came from (ocpi.responseUrlAllowedHosts.0).
    const variable = [...fromEnv].find(([path]) => key === path || key.startsWith(`${path}.`))?.[1];
    const source = variable ? ` (from ${variable})` : '';
    throw new InvalidInput(`config ${key}${source}: ${err.message}`);
  }
  assertCronExpressions(config);
  const { http } = config as unknown as Config;
  // Node refuses to create a server whose headers timeout exceeds its request timeout: say so by key.
  if (http.headersTimeoutSec > http.requestTimeoutSec) throw new InvalidInput('config http.headersTimeoutSec: must not exceed http.requestTimeoutSec');
  return config as unknown as Config;
}

/** Every `*Cron` key must be a schedule node-cron accepts: refused at start-up, not when the job is due. */
function assertCronExpressions(node: Record<string, unknown>, prefix = ''): void {
  for (const [key, value] of Object.entries(node)) {
    if (value && typeof value === 'object') assertCronExpressions(value as Record<string, unknown>, `${prefix}${key}.`);
    else if (key.endsWith('Cron') && typeof value === 'string' && !cron.validate(value)) {
      throw new InvalidInput(`config ${prefix}${key}: not a valid cron expression "${value}"`);
    }
  }
}

/** Whether node was started with V8's young generation sized (`--max-semi-space-size`, on its command line or in NODE_OPTIONS). */
export function isYoungGenerationSized(execArgv: readonly string[] = process.execArgv, env: NodeJS.ProcessEnv = process.env): boolean {
  return /--max-semi-space-size/.test(`${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`);
}

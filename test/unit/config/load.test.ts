import { expect } from 'chai';
import { ENV_VARS, isYoungGenerationSized, loadConfig } from '../../../src/config/load.ts';

describe('unit config/load', () => {
  it('should load the defaults from config/default.json', () => {
    const c = loadConfig({});

    expect([c.port, c.databaseUrl, c.ocpp.path, c.ocpp.acceptUnknownChargers]).to.deep.equal([8080, '', '/ocpp', false]);
  });

  it('should let environment variables override the defaults, parsed to their types', () => {
    const c = loadConfig({ PORT: '9000', DATABASE_URL: 'postgres://u@db:5432/cpms', DATA_DIR: '/var/lib/cpms', LOG_LEVEL: 'debug', OCPP_ACCEPT_UNKNOWN_CHARGERS: 'true', OCPP_HEARTBEAT_INTERVAL_SEC: '120', OCPP_OFFLINE_AFTER_MISSED_HEARTBEATS: '2.5' });

    expect([c.port, c.databaseUrl, c.dataDir, c.logLevel, c.ocpp.acceptUnknownChargers, c.ocpp.heartbeatIntervalSec, c.ocpp.offlineAfterMissedHeartbeats]).to.deep.equal([9000, 'postgres://u@db:5432/cpms', '/var/lib/cpms', 'debug', true, 120, 2.5]);
  });

  it('should read the HTTP limits: request timeout, OCPI body limit and rate limit (0 = off)', () => {
    const defaults = loadConfig({});
    const c = loadConfig({ HTTP_REQUEST_TIMEOUT_SEC: '15', HTTP_HEADERS_TIMEOUT_SEC: '10', OCPI_MAX_BODY_BYTES: '65536', OCPI_RATE_LIMIT_PER_SEC: '0', OCPI_RATE_LIMIT_BURST: '10' });

    expect([defaults.http.requestTimeoutSec, defaults.ocpi.maxBodyBytes, defaults.ocpi.rateLimit]).to.deep.equal([60, 1048576, { requestsPerSec: 50, burst: 200 }]);
    expect([c.http.requestTimeoutSec, c.ocpi.maxBodyBytes, c.ocpi.rateLimit]).to.deep.equal([15, 65536, { requestsPerSec: 0, burst: 10 }]);
  });

  it('should read OCPI_RESPONSE_URL_ALLOWED_HOSTS as a comma-separated list (none by default)', () => {
    expect(loadConfig({}).ocpi.responseUrlAllowedHosts).to.deep.equal([]);
    expect(loadConfig({ OCPI_RESPONSE_URL_ALLOWED_HOSTS: 'results.example.net, cb.example.org:8443,' }).ocpi.responseUrlAllowedHosts).to.deep.equal(['results.example.net', 'cb.example.org:8443']);
    expect(loadConfig({ OCPI_RESPONSE_URL_ALLOWED_HOSTS: '*' }).ocpi.responseUrlAllowedHosts).to.deep.equal(['*']);
  });

  it('should let the environment win over overrides, and overrides win over defaults', () => {
    const c = loadConfig({ PORT: '9001' }, { port: 1234, 'ocpp.callTimeoutSec': 5 });

    expect([c.port, c.ocpp.callTimeoutSec]).to.deep.equal([9001, 5]);
  });

  it('should ignore empty variables except DATABASE_URL, which may clear a configured server', () => {
    const c = loadConfig({ PORT: '', DATABASE_URL: '' }, { databaseUrl: 'postgres://x@y/z' });

    expect([c.port, c.databaseUrl]).to.deep.equal([8080, '']);
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['a port that is not a number', { PORT: 'eighty' }, /^config port \(from PORT\): /],
    ['a port out of range', { PORT: '70000' }, /^config port \(from PORT\): /],
    ['a log level winston does not know', { LOG_LEVEL: 'loud' }, /^config logLevel \(from LOG_LEVEL\): /],
    ['a negative heap growing percent', { HEAP_GROWING_PERCENT: '-5' }, /^config heapGrowingPercent \(from HEAP_GROWING_PERCENT\): /],
    ['a database URL that is not postgres', { DATABASE_URL: 'mysql://x' }, /^config databaseUrl \(from DATABASE_URL\): /],
    ['a boolean that is not true/false', { OCPP_ACCEPT_UNKNOWN_CHARGERS: 'yes' }, /^config ocpp\.acceptUnknownChargers \(from OCPP_ACCEPT_UNKNOWN_CHARGERS\): /],
    ['a zero heartbeat interval', { OCPP_HEARTBEAT_INTERVAL_SEC: '0' }, /^config ocpp\.heartbeatIntervalSec \(from OCPP_HEARTBEAT_INTERVAL_SEC\): /],
    ['a zero request timeout', { HTTP_REQUEST_TIMEOUT_SEC: '0' }, /^config http.requestTimeoutSec \(from HTTP_REQUEST_TIMEOUT_SEC\): /],
    ['a negative rate limit', { OCPI_RATE_LIMIT_PER_SEC: '-1' }, /^config ocpi\.rateLimit\.requestsPerSec \(from OCPI_RATE_LIMIT_PER_SEC\): /],
    ['a zero burst', { OCPI_RATE_LIMIT_BURST: '0' }, /^config ocpi\.rateLimit\.burst \(from OCPI_RATE_LIMIT_BURST\): /],
    ['an allowed response_url host that is a URL', { OCPI_RESPONSE_URL_ALLOWED_HOSTS: 'https://x.example' }, /^config ocpi\.responseUrlAllowedHosts\.0 \(from OCPI_RESPONSE_URL_ALLOWED_HOSTS\): /],
  ];
  for (const [name, env, message] of bad) {
    it(`should refuse ${name} with one line naming the key and the variable`, () => {
      expect(() => loadConfig(env)).to.throw(message);
    });
  }

  it('should refuse an HTTP headers timeout longer than the request timeout, naming the key', () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_SEC: '90', HTTP_REQUEST_TIMEOUT_SEC: '60' })).to.throw(/^config http\.headersTimeoutSec: must not exceed http\.requestTimeoutSec$/);
  });

  it('should read the OCPP limits from their environment variables', () => {
    const c = loadConfig({ OCPP_MAX_FRAME_BYTES: '65536', OCPP_PING_INTERVAL_SEC: '0', OCPP_RATE_LIMIT_CALLS_PER_SEC: '2.5', OCPP_AUTH_BACKOFF_FAILURES_PER_ADDRESS: '0', HTTP_HEADERS_TIMEOUT_SEC: '10' });

    expect([c.ocpp.maxFrameBytes, c.ocpp.pingIntervalSec, c.ocpp.rateLimit.callsPerSec, c.ocpp.auth.backoff.failuresPerAddress, c.http.headersTimeoutSec]).to.deep.equal([65536, 0, 2.5, 0, 10]);
  });

  it('should read OCPP_MAX_CONNECTOR_ID and BILLING_MAX_SESSION_DAYS (defaults 32 and 90) and refuse a zero', () => {
    const d = loadConfig({});
    const c = loadConfig({ OCPP_MAX_CONNECTOR_ID: '4', BILLING_MAX_SESSION_DAYS: '31' });

    expect([d.ocpp.maxConnectorId, d.billing.maxSessionDays, c.ocpp.maxConnectorId, c.billing.maxSessionDays]).to.deep.equal([32, 90, 4, 31]);
    expect(() => loadConfig({ OCPP_MAX_CONNECTOR_ID: '0' })).to.throw(/^config ocpp\.maxConnectorId \(from OCPP_MAX_CONNECTOR_ID\): /);
    expect(() => loadConfig({ BILLING_MAX_SESSION_DAYS: '0' })).to.throw(/^config billing\.maxSessionDays \(from BILLING_MAX_SESSION_DAYS\): /);
  });

  it('should read EVENTS_RETENTION_HOURS and EVENTS_HEARTBEAT_SEC (defaults 24 and 15) and refuse a zero', () => {
    const d = loadConfig({});
    const c = loadConfig({ EVENTS_RETENTION_HOURS: '48', EVENTS_HEARTBEAT_SEC: '5' });

    expect([d.events.retentionHours, d.events.heartbeatSec, c.events.retentionHours, c.events.heartbeatSec]).to.deep.equal([24, 15, 48, 5]);
    expect(() => loadConfig({ EVENTS_HEARTBEAT_SEC: '0' })).to.throw(/^config events\.heartbeatSec \(from EVENTS_HEARTBEAT_SEC\): /);
  });

  it('should name the key of a bad override', () => {
    expect(() => loadConfig({}, { 'ocpp.callTimeoutSec': 0 })).to.throw(/^config ocpp\.callTimeoutSec: /);
  });

  /** Paths of every `*Cron` key in the defaults, e.g. `ocpp.offlineCheckCron`. */
  const cronKeys = (node: Record<string, unknown>, prefix = ''): string[] =>
    Object.entries(node).flatMap(([k, v]) => (v && typeof v === 'object' ? cronKeys(v as Record<string, unknown>, `${prefix}${k}.`) : k.endsWith('Cron') ? [`${prefix}${k}`] : []));
  const CRON_KEYS = cronKeys(loadConfig({}) as unknown as Record<string, unknown>);

  it('should know the cron keys of ocpp, billing and ocpi', () => {
    expect(CRON_KEYS).to.include.members(['ocpp.offlineCheckCron', 'billing.staleSessionsCron', 'billing.settlementCron', 'ocpi.authorizationCacheExpiryCron', 'ocpi.tokenSyncCron', 'ocpi.push.retryCron']);
  });

  for (const key of CRON_KEYS) {
    it(`should refuse a bad cron expression in ${key} with one line naming the key`, () => {
      for (const expression of ['every minute', '61 * * * *', '* * * *']) {
        expect(() => loadConfig({}, { [key]: expression })).to.throw(new RegExp(`^config ${key.replaceAll('.', '\\.')}: not a valid cron expression "${expression.replaceAll('*', '\\*')}"$`));
      }
    });
  }

  it('should name an unknown key instead of "(root)"', () => {
    expect(() => loadConfig({}, { prot: 80 })).to.throw(/prot/);
  });

  it('should map PORT, DATABASE_URL, DATA_DIR and LOG_LEVEL (the issue\'s minimum)', () => {
    const names = ENV_VARS.map(([name]) => name);

    expect(names).to.include.members(['PORT', 'DATABASE_URL', 'DATA_DIR', 'LOG_LEVEL']);
  });

  it("should tell whether node was given V8's young generation size, on its command line or in NODE_OPTIONS", () => {
    expect(isYoungGenerationSized(['--max-semi-space-size=64'], {})).to.equal(true);
    expect(isYoungGenerationSized([], { NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=32' })).to.equal(true);
    expect(isYoungGenerationSized(['--enable-source-maps'], { NODE_OPTIONS: '--max-old-space-size=512' })).to.equal(false);
  });
});

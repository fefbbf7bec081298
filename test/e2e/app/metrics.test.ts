// Prometheus metrics (issue 14), scraped after real OCPP and OCPI traffic: connected chargers, OCPP calls by action
// and result with their latency, commands by outcome, OCPI requests by module/method/status, job runs, database
// queries and pool, the outbox, the event loop; bounded labels (never a charger id); access by token or port.
import { expect } from 'chai';
import { createServer } from 'node:net';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, connectRaw } from '../../helpers/charger.ts';
import { aBootNotification, aChargerId, aRegisteredCharger, aStatusNotification, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aRegisteredPartner, tokenHeader } from '../../fixtures/partners.ts';

/** The value of one sample line `name{labels} value`, labels given in any order; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

async function aFreePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe('e2e metrics', () => {
  const t = useTestApp();
  const scrape = async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.httpUrl}/metrics`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('should count real OCPP, command, OCPI and job traffic with bounded labels', async () => {
    // Arrange: a charger that boots, reports, sends a bad call and answers a command; a partner reading locations
    const id = await aRegisteredCharger(t.app.services, { id: aChargerId('metrics') });
    const charger = await connectCharger(t, id, { password: CHARGER_PASSWORD });
    charger.handle('GetConfiguration', async () => ({ configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] }));
    await charger.call('BootNotification', aBootNotification());
    await charger.call('StatusNotification', aStatusNotification());
    const raw = await connectRaw(t, await aRegisteredCharger(t.app.services, { id: aChargerId('metrics-raw') }), { password: CHARGER_PASSWORD });
    raw.send([2, 'bad-1', 'StatusNotification', { connectorId: 1 }]); // required fields missing: a CALLERROR
    const [, , badCode] = await raw.reply('bad-1');
    await raw.close();
    const command = await t.api('POST', `/api/v1/chargers/${id}/commands/GetConfiguration`, { key: ['HeartbeatInterval'] });
    expect(command.status, JSON.stringify(command.body)).to.equal(200);
    const { token } = await aRegisteredPartner(t.db);
    const ocpi = await fetch(`${t.httpUrl}/ocpi/2.2.1/locations?limit=10`, { headers: { authorization: tokenHeader(token) } });
    expect(ocpi.status).to.equal(200);
    expect((await fetch(`${t.httpUrl}/ocpi/2.2.1/locations`, { headers: { authorization: tokenHeader('not-a-token') } })).status).to.equal(401);
    const job = await t.api('POST', '/api/v1/jobs/events-retention/run');
    expect(job.status).to.equal(200);

    // Act
    const { status, type, text } = await scrape();
    await charger.close();

    // Assert
    expect(status).to.equal(200);
    expect(type).to.include('text/plain');
    const node = 'test-node';
    expect(sample(text, 'cpms_connected_chargers', { protocol: 'ocpp1.6', node })).to.equal(1); // the raw one left
    expect(sample(text, 'cpms_ocpp_messages_total', { action: 'BootNotification', result: 'ok', node })).to.equal(1);
    expect(sample(text, 'cpms_ocpp_messages_total', { action: 'StatusNotification', result: 'ok' })).to.equal(1);
    expect(badCode).to.be.a('string').and.not.equal('ok');
    expect(sample(text, 'cpms_ocpp_messages_total', { action: 'StatusNotification', result: badCode })).to.equal(1);
    expect(sample(text, 'cpms_ocpp_handler_duration_seconds_count', { action: 'StatusNotification' })).to.equal(2);
    expect(sample(text, 'cpms_ocpp_commands_total', { action: 'GetConfiguration', outcome: 'ok' })).to.equal(1);
    expect(sample(text, 'cpms_ocpp_command_duration_seconds_count', { action: 'GetConfiguration' })).to.equal(1);
    expect(sample(text, 'cpms_ocpi_requests_total', { module: 'locations', method: 'GET', status: '200' })).to.equal(1);
    expect(sample(text, 'cpms_ocpi_requests_total', { module: 'locations', method: 'GET', status: '401' })).to.equal(1);
    expect(sample(text, 'cpms_job_runs_total', { job: 'events-retention', result: 'succeeded' })).to.equal(1);
    expect(sample(text, 'cpms_db_query_duration_seconds_count', { result: 'ok' })).to.be.greaterThan(0);
    expect(sample(text, 'cpms_db_pool_connections', { state: 'used' })).to.be.a('number');
    expect(sample(text, 'cpms_ocpi_outbox_rows', { status: 'PENDING' })).to.be.a('number');
    expect(sample(text, 'cpms_ocpi_outbox_oldest_pending_age_seconds', {})).to.be.a('number');
    expect(sample(text, 'nodejs_eventloop_lag_seconds', {})).to.be.a('number');
    expect(text).to.not.include(id);
  });

  it('should refuse a scrape that came through a proxy when no token is set', async () => {
    const res = await scrape({ 'x-forwarded-for': '203.0.113.9' });

    expect(res.status).to.equal(403);
    expect(res.text).to.include('METRICS_TOKEN');
  });
});

describe('e2e metrics behind a token', () => {
  const t = useTestApp({ overrides: { 'metrics.token': 'scrape-secret-1' } });

  it('should answer only a scrape with the bearer token', async () => {
    const without = await fetch(`${t.httpUrl}/metrics`);
    const wrong = await fetch(`${t.httpUrl}/metrics`, { headers: { authorization: 'Bearer nope' } });
    const right = await fetch(`${t.httpUrl}/metrics`, { headers: { authorization: 'Bearer scrape-secret-1' } });

    expect([without.status, wrong.status, right.status]).to.deep.equal([401, 401, 200]);
    expect(without.headers.get('www-authenticate')).to.equal('Bearer realm="metrics"');
    expect(await right.text()).to.include('cpms_ocpp_messages_total');
  });
});

describe('e2e metrics on a port of their own', () => {
  let port = 0;
  before(async () => {
    port = await aFreePort();
  });
  const t = useTestApp({ overrides: { get 'metrics.port'() { return port; } } });

  it('should serve /metrics on its own port and not on the main one', async () => {
    const own = await fetch(`http://127.0.0.1:${port}/metrics`);
    const main = await fetch(`${t.httpUrl}/metrics`, { headers: { authorization: `Bearer ${t.adminKey}` } });

    expect(own.status).to.equal(200);
    expect(await own.text()).to.include('cpms_connected_chargers');
    expect(main.status).to.equal(404);
  });
});

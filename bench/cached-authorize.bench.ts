// bench: unpinned (the app and, on PostgreSQL, the database server's process share the work)
// Real-time authorization answered from the cache (issue 8; OCPI 2.2.1 tokens §12.2.2.2, whitelist ALLOWED):
// an eMSP (a local HTTP server) pushes a token with whitelist ALLOWED; a charger at one of the operator's EVSEs
// sends OCPP Authorize over its WebSocket. The first Authorize asks the eMSP (real time) and caches its answer;
// the following ones are answered from the cache (ocpi.authorizationCacheTtlSec) without the eMSP, one at a
// time: p50/p99 of the charger's round trip. Target (issue 8): p99 < 10 ms.
// Also prints the SQL statements the app sent per Authorize over the runs (background jobs included).
// BENCH_TARGETS (`embedded,postgres`), BENCH_DATABASE_URL, BENCH_RUNS (1,000); BENCH_TRACE=1 prints the SQL of one Authorize.
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { insertPartner } from '../src/partners/partner.repo.ts';
import { hashSecret, newSecret } from '../src/shared/ids.ts';
import { cpuMsOf, databaseTargets, p50p99, startInProcessApp, type InProcessApp } from './in-process-app.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const log = (line: string) => process.stdout.write(`${line}\n`);

/** The eMSP's tokens SENDER: every authorize is ALLOWED; counts the requests. */
async function startEmsp(): Promise<{ server: Server; base: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const uid = decodeURIComponent(/\/tokens\/([^/]+)\/authorize/.exec(req.url ?? '')?.[1] ?? '');
    const token = { country_code: 'DE', party_id: 'EMS', uid, type: 'RFID', contract_id: `DE-EMS-${uid}`, issuer: 'bench eMSP', valid: true, whitelist: 'ALLOWED', last_updated: '2026-01-01T00:00:00Z' };
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status_code: 1000, timestamp: new Date().toISOString(), data: { allowed: 'ALLOWED', token, authorization_reference: 'BENCH-REF' } }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ocpi/2.2.1`, requests: () => requests };
}

/** Registers the eMSP, which then PUTs its token (tokens RECEIVER) through the OCPI API; returns the uid. */
async function aPushedToken(t: InProcessApp, emspBase: string): Promise<string> {
  const token = newSecret();
  await insertPartner(t.db, {
    countryCode: 'DE', partyId: 'EMS', role: 'EMSP', name: 'bench eMSP', status: 'REGISTERED', version: '2.2.1', versionsUrl: emspBase.replace(/2\.2\.1$/, 'versions'),
    endpoints: [{ identifier: 'credentials', role: 'SENDER', url: `${emspBase}/credentials` }, { identifier: 'tokens', role: 'SENDER', url: `${emspBase}/tokens` }],
    roles: [{ role: 'EMSP', country_code: 'DE', party_id: 'EMS', business_details: { name: 'bench eMSP' } }],
    tokenHash: hashSecret(token), tokenRemote: newSecret(), tokenEncoding: 'base64', registeredAt: new Date(),
  });
  const uid = 'BENCH0001';
  const body = { country_code: 'DE', party_id: 'EMS', uid, type: 'RFID', contract_id: `DE-EMS-${uid}`, issuer: 'bench eMSP', valid: true, whitelist: 'ALLOWED', last_updated: '2026-01-01T00:00:00Z' };
  const res = await fetch(`${t.httpUrl}/ocpi/2.2.1/tokens/DE/EMS/${uid}`, { method: 'PUT', headers: { authorization: `Token ${Buffer.from(token).toString('base64')}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (((await res.json()) as { status_code: number }).status_code !== 1000) throw new Error('token PUT refused');
  return uid;
}

/** A charger at an EVSE of a new location, connected and booted; `call` sends one CALL and awaits its answer. */
async function aBootedCharger(t: InProcessApp): Promise<{ ws: WebSocket; call(action: string, payload: unknown): Promise<unknown[]> }> {
  const location = await t.app.services.locations.create({ id: 'LOC-BENCH', address: 'Stationsplein 1', city: 'Utrecht', country: 'NLD', latitude: '52.08930', longitude: '5.11020', timeZone: 'Europe/Amsterdam' });
  const password = 'bench-password-1';
  await t.app.services.chargers.register({ id: 'CP-BENCH', password, locationId: location.id, evseUid: 'EVSE-BENCH' });
  const ws = new WebSocket(`${t.ocppUrl}/CP-BENCH`, ['ocpp1.6'], { headers: { authorization: `Basic ${Buffer.from(`CP-BENCH:${password}`).toString('base64')}` } });
  await once(ws, 'open');
  let seq = 0;
  const call = async (action: string, payload: unknown): Promise<unknown[]> => {
    const id = String(++seq);
    ws.send(JSON.stringify([2, id, action, payload]));
    for (;;) {
      const [data] = (await once(ws, 'message')) as [Buffer];
      const frame = JSON.parse(data.toString()) as unknown[];
      if (frame[1] === id) return frame;
    }
  };
  const boot = await call('BootNotification', { chargePointVendor: 'bench', chargePointModel: 'bench' });
  if ((boot[2] as { status: string }).status !== 'Accepted') throw new Error('boot not accepted');
  return { ws, call };
}

for (const target of databaseTargets()) {
  const emsp = await startEmsp();
  const t = await startInProcessApp(target.serverUrl, { 'ocpi.authorizationCacheTtlSec': 300, 'ocpp.rateLimit.callsPerSec': 0 });
  try {
    const uid = await aPushedToken(t, emsp.base);
    const charger = await aBootedCharger(t);
    const first = await charger.call('Authorize', { idTag: uid }); // real time: fills the cache
    if (process.env.BENCH_TRACE) {
      const sqls: string[] = [];
      t.db.on('query', (q: { sql: string }) => sqls.push(q.sql.slice(0, 140)));
      await charger.call('Authorize', { idTag: uid });
      log(sqls.join('\n'));
    }
    const ms: number[] = [];
    let statements = 0;
    t.db.on('query', () => (statements += 1));
    const cpuMs = await cpuMsOf(async () => {
      for (let run = -50; run < RUNS; run++) {
        const started = performance.now();
        const answer = await charger.call('Authorize', { idTag: uid });
        if (run >= 0) ms.push(performance.now() - started); // the first 50 warm up
        if ((answer[2] as { idTagInfo?: { status: string } }).idTagInfo?.status !== 'Accepted') throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
      }
    });
    log(`cached-authorize (${target.name}): first Authorize ${(first[2] as any).idTagInfo.status} via the eMSP; then ${RUNS} Authorize from the cache, one at a time: ${p50p99(ms)} (target p99 < 10 ms), CPU of this process ${(cpuMs / (RUNS + 50)).toFixed(2)} ms each; ${(statements / (RUNS + 50)).toFixed(2)} SQL statements each (all of the app's, incl. background); eMSP asked ${emsp.requests()} time(s); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    charger.ws.close();
  } finally {
    await t.close();
    emsp.server.close();
  }
}

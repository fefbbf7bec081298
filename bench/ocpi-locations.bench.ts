// bench: unpinned (the app and, on PostgreSQL, the database server's process share the work)
// OCPI 2.2.1 locations Sender interface at network scale (issue 8): 25,000 published locations with 2 EVSEs
// each (50,000 EVSEs, one connector each, with a tariff id), generated in SQL, paged by a registered eMSP
// with its token through real HTTP to the whole app: GET /ocpi/2.2.1/locations?limit=100, the first page and
// deep pages (random offsets over the whole list), one request at a time. Target (issue 8): p99 < 30 ms.
// Each target runs twice in the same process, without and with the kept pages (ocpi.locationsCacheMaxBytes 0, then
// the default): the walk and the random offsets read pages not kept yet (a kept count only), the first page is kept.
// BENCH_TARGETS (`embedded,postgres`), BENCH_DATABASE_URL, BENCH_RUNS (200 per kind of page),
// BENCH_LOCATIONS_CACHE (`off,on`).
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { insertPartner } from '../src/partners/partner.repo.ts';
import { hashSecret, newSecret } from '../src/shared/ids.ts';
import { cpuMsOf, databaseTargets, p50p99, startInProcessApp, type InProcessApp } from './in-process-app.ts';

const LOCATIONS = 25_000;
const EVSES_PER_LOCATION = 2;
const LIMIT = 100;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const log = (line: string) => process.stdout.write(`${line}\n`);

async function seed(t: InProcessApp): Promise<void> {
  await t.db.raw(
    `insert into locations (id, party_fk, publish, name, address, city, country, latitude, longitude, time_zone, facilities, opening_times, created_at, last_updated)
     select 'LOC' || lpad(i::text, 6, '0'), ?, true, 'Site ' || i, 'Street ' || i, 'Utrecht', 'NLD', '52.08930', '5.11020', 'Europe/Amsterdam',
       '["CAFE"]'::jsonb, '{"twentyfourseven": true}'::jsonb, timestamptz '2026-01-01T00:00:00Z' + i * interval '1 second', timestamptz '2026-01-01T00:00:00Z'
     from generate_series(0, ? - 1) i`,
    [t.party.id, LOCATIONS],
  );
  await t.db.raw(
    `insert into evses (location_id, uid, evse_id, status, capabilities, last_updated)
     select l.id, l.id || '-' || n, 'NL*CPM*E' || substr(l.id, 4) || n, 'AVAILABLE', '["RFID_READER"]'::jsonb, timestamptz '2026-01-01T00:00:00Z'
     from locations l, generate_series(1, ?) n order by l.id, n`,
    [EVSES_PER_LOCATION],
  );
  await t.db.raw(
    `insert into connectors (evse_fk, ocpi_id, max_electric_power, tariff_ids, last_updated)
     select e.id, '1', 22000, '["AC-STANDARD"]'::jsonb, timestamptz '2026-01-01T00:00:00Z' from evses e order by e.id`,
  );
  await t.db.raw('vacuum analyze');
}

async function anEmspToken(t: InProcessApp): Promise<string> {
  const token = newSecret();
  const base = 'https://emsp.bench.test/ocpi/2.2.1';
  await insertPartner(t.db, {
    countryCode: 'DE', partyId: 'EMS', role: 'EMSP', name: 'bench eMSP', status: 'REGISTERED', version: '2.2.1', versionsUrl: base.replace(/2\.2\.1$/, 'versions'),
    endpoints: [{ identifier: 'credentials', role: 'SENDER', url: `${base}/credentials` }],
    roles: [{ role: 'EMSP', country_code: 'DE', party_id: 'EMS', business_details: { name: 'bench eMSP' } }],
    tokenHash: hashSecret(token), tokenRemote: newSecret(), tokenEncoding: 'base64', registeredAt: new Date(),
  });
  return token;
}

const authorization = (token: string) => `Token ${Buffer.from(token).toString('base64')}`;

async function getPage(url: string, token: string): Promise<{ ms: number; evses: number; next?: string }> {
  const started = performance.now();
  const res = await fetch(url, { headers: { authorization: authorization(token) } });
  const body = (await res.json()) as { status_code: number; data: Array<{ evses: unknown[] }> };
  const ms = performance.now() - started;
  if (res.status !== 200 || body.status_code !== 1000 || body.data.length === 0) throw new Error(`unexpected answer ${res.status} ${body.status_code}`);
  const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
  return { ms, evses: body.data.reduce((n, l) => n + l.evses.length, 0), next };
}

/** RUNS requests (after 10 to warm up) of the page at the offset `offsetOf` gives. */
async function timeOffsets(t: InProcessApp, token: string, offsetOf: (run: number) => number): Promise<{ ms: number[]; evses: number }> {
  const ms: number[] = [];
  let evses = 0;
  for (let run = -10; run < RUNS; run++) {
    const page = await getPage(`${t.httpUrl}/ocpi/2.2.1/locations?offset=${offsetOf(run)}&limit=${LIMIT}`, token);
    if (run >= 0) ms.push(page.ms);
    evses = page.evses;
  }
  return { ms, evses };
}

/** Every page, following the Link headers from the first one as an eMSP does. */
async function walk(t: InProcessApp, token: string): Promise<{ ms: number[]; evses: number }> {
  const ms: number[] = [];
  let evses = 0;
  for (let url: string | undefined = `${t.httpUrl}/ocpi/2.2.1/locations?limit=${LIMIT}`; url; ) {
    const page = await getPage(url, token);
    ms.push(page.ms);
    evses += page.evses;
    url = page.next;
  }
  return { ms, evses };
}

const variants = (process.env.BENCH_LOCATIONS_CACHE ?? 'off,on').split(',').map((v) => v.trim());
for (const target of databaseTargets()) for (const variant of variants) {
  // The partner rate limit (50/s, burst 200 by default) would throttle the kept pages: it is not what is measured.
  const noLimit = { 'ocpi.rateLimit.requestsPerSec': 0 };
  const t = await startInProcessApp(target.serverUrl, variant === 'off' ? { ...noLimit, 'ocpi.locationsCacheMaxBytes': 0 } : noLimit);
  try {
    const started = performance.now();
    await seed(t);
    log(`  seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const token = await anEmspToken(t);
    log(`ocpi-locations (${target.name}, kept pages ${variant}): ${LOCATIONS} locations x ${EVSES_PER_LOCATION} EVSEs seeded in ${((performance.now() - started) / 1000).toFixed(1)} s; ${RUNS} requests per kind, limit ${LIMIT}`);
    const cpu = (ms: number, requests: number) => `CPU of this process ${(ms / requests).toFixed(1)} ms/request`;
    let first!: { ms: number[]; evses: number };
    const firstCpu = await cpuMsOf(async () => void (first = await timeOffsets(t, token, () => 0)));
    log(`  first page                       ${p50p99(first.ms)}  ${cpu(firstCpu, RUNS + 10)}  (${first.evses} EVSEs a page; target p99 < 30 ms)`);
    let walked!: { ms: number[]; evses: number };
    const walkCpu = await cpuMsOf(async () => void (walked = await walk(t, token)));
    log(`  every page by its Link (${walked.ms.length} pages, ${walked.evses} EVSEs)  ${p50p99(walked.ms)}  ${cpu(walkCpu, walked.ms.length)}`);
    // Pages at offsets spread over the whole list without a Link's key, the same sequence on every target.
    let deep!: { ms: number[]; evses: number };
    const deepCpu = await cpuMsOf(async () => void (deep = await timeOffsets(t, token, (run) => ((Math.abs(run) * 7919) % (LOCATIONS / LIMIT)) * LIMIT)));
    log(`  random offsets (no Link key)     ${p50p99(deep.ms)}  ${cpu(deepCpu, RUNS + 10)}`);
    log(`  load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    await t.close();
  }
}

// Issue 12: a mixed fleet (half OCPP 1.6, half 2.0.1) of simulated chargers runs random sessions against the
// app, its drivers using an eMSP's tokens; the eMSP (OCPI 2.2.1 Sessions §9 and CDRs §10, GET) sees the
// sessions and CDRs of both versions identically: the same fields, valid against the OCPI schemas.
import { expect } from 'chai';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { registerFleet } from '../../../src/simulator/index.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aRoamingToken } from '../../fixtures/ocpi-rows.ts';
import { aRegisteredEmsp, tokenHeader } from '../../fixtures/partners.ts';
import { aFleet, aLocationViaApi } from '../../fixtures/simulator.ts';

/** Every field path of an OCPI object (array items merged), e.g. `cdr_token.uid`, `charging_periods[].dimensions[].type`. */
function shape(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => shape(v, `${path}[]`)))].sort();
  if (value === null || typeof value !== 'object') return [path];
  return Object.entries(value).flatMap(([k, v]) => shape(v, path ? `${path}.${k}` : k)).sort();
}

describe('e2e simulator: a mixed OCPP 1.6 / 2.0.1 fleet seen by an eMSP', () => {
  const t = useTestApp({ nock: true });

  it('should run 4 + 4 chargers whose sessions and CDRs the eMSP sees with the same fields whatever the version', async () => {
    // Arrange: eight chargers at one location, every other one 2.0.1, each driver with an eMSP token
    const emsp = await aRegisteredEmsp(t.db, { modules: ['sessions', 'cdrs'] });
    const tokens: string[] = [];
    for (let i = 0; i < 8; i++) tokens.push((await aRoamingToken(t.db, emsp.partner)).uid);
    const locationId = await aLocationViaApi(t);
    const fleet = aFleet(t, { chargers: 8, protocol: 'mixed', tokens, seed: 3, sessions: { probability: 1, durationSec: 0.6, idleSec: 0.05 } });
    await registerFleet(fleet, { apiUrl: `${t.httpUrl}/api/v1`, apiKey: t.adminKey, locationId, tokens: false });
    const ids = fleet.chargers.map((c) => c.id);

    // Act: run until every charger has completed a session, then stop (running ones end Local)
    fleet.start();
    await eventually(async () => {
      const rows = await t.db('sessions').whereIn('charge_point_id', ids).where({ status: 'COMPLETED' }).groupBy('charge_point_id').select('charge_point_id');
      return rows.length === ids.length;
    }, 'a completed session per charger', 30_000);
    const summary = await fleet.stop();
    const sessions = await t.db('sessions').whereIn('charge_point_id', ids);
    await eventually(async () => Number((await t.db('cdrs').whereIn('session_fk', sessions.map((s) => s.id)).count('* as n').first())!.n) === sessions.length, 'a CDR per session', 30_000);
    const get = async (module: string) => ((await (await fetch(`${t.httpUrl}/ocpi/2.2.1/${module}?limit=1000`, { headers: { authorization: tokenHeader(emsp.token) } })).json()) as { data: any[] }).data;
    const [ocpiSessions, ocpiCdrs] = [await get('sessions'), await get('cdrs')];

    // Assert: 4 + 4 chargers, each version's sessions and CDRs shaped alike
    const protocolOf = new Map<string, string>((await t.db('charge_points').whereIn('id', ids)).map((c) => [c.id, c.protocol]));
    expect([...protocolOf.values()].sort()).to.deep.equal([...Array(4).fill('ocpp1.6'), ...Array(4).fill('ocpp2.0.1')]);
    expect(fleet.chargers.map((c) => c.protocol)).to.deep.equal(ids.map((id) => protocolOf.get(id)));
    expect([ocpiSessions.length, ocpiCdrs.length]).to.deep.equal([sessions.length, sessions.length]);
    /** The field paths the objects of each version use (all of them together). */
    const byVersion = (objects: any[], chargerOf: (o: any) => string) => {
      const paths: Record<string, string[]> = { 'ocpp1.6': [], 'ocpp2.0.1': [] };
      for (const o of objects) paths[protocolOf.get(chargerOf(o))!].push(...shape(o));
      return Object.fromEntries(Object.entries(paths).map(([k, v]) => [k, [...new Set(v)].sort()]));
    };
    for (const s of ocpiSessions) expect(validateOcpi('Session', s, { strict: true })).to.deep.equal({ ok: true });
    for (const c of ocpiCdrs) expect(validateOcpi('CDR', c, { strict: true })).to.deep.equal({ ok: true });
    const sessionShapes = byVersion(ocpiSessions, (s) => s.evse_uid);
    const cdrShapes = byVersion(ocpiCdrs, (c) => c.cdr_location.evse_uid);
    expect(sessionShapes['ocpp2.0.1']).to.deep.equal(sessionShapes['ocpp1.6']);
    expect(cdrShapes['ocpp2.0.1']).to.deep.equal(cdrShapes['ocpp1.6']);
    expect(sessionShapes['ocpp1.6']).to.include.members(['kwh', 'cdr_token.uid', 'charging_periods[].dimensions[].volume', 'connector_id', 'end_date_time']);
    expect(ocpiSessions.every((s) => s.status === 'COMPLETED' && s.kwh >= 0 && tokens.includes(s.cdr_token.uid))).to.equal(true);
    expect([summary.accepted, summary.errors, summary.sessionsStarted, summary.sessionsStopped]).to.deep.equal([8, 0, sessions.length, sessions.length]);
  });
});

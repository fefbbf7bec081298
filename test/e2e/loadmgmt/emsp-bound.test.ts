// Load management end to end (issue 10 "Safety"): an eMSP's charging profile (OCPI 2.2.1 chargingprofiles) and
// the operator's bound are upper bounds inside the allocation, the smaller wins. A simulated charger (it obeys
// the profiles it holds, OCPP 1.6 §3.13.2 stacking: the highest stack level wins) draws what it is given: the
// eMSP's level-1 profile alone would be overridden by load management's level 2, so level 2 must carry it.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { registerFleet } from '../../../src/simulator/index.ts';
import { aFleet } from '../../fixtures/simulator.ts';
import { aTestEmsp, anEmspToken } from '../../fixtures/commands.ts';

const SETTLE_MS = 15_000;
const EV = { spec: { maxCurrentA: 32, phases: 3, batteryWh: 100_000 }, socPct: 20 };

describe('e2e load management: eMSP and operator bounds', function () {
  this.timeout(120_000);
  const t = useTestApp({ nock: true, overrides: { 'loadManagement.debounceMs': 100, 'ocpp.callTimeoutSec': 5 } });

  it('OCPI 2.2.1 chargingprofiles §14.1: should send the charger min(eMSP limit, operator bound, share), and the operator bound again once the eMSP clears it', async () => {
    // Arrange: one 32 A charger alone in a 32 A group, the operator's bound 20 A; a session of an eMSP's token
    const emsp = await aTestEmsp(t);
    const token = anEmspToken(emsp);
    expect((await emsp.call('PUT', `/tokens/${emsp.countryCode}/${emsp.partyId}/${token.uid}?type=APP_USER`, token)).status).to.equal(200);
    // no meter values while the test runs: only the bounds' changes may trigger a reallocation
    const fleet = aFleet(t, { chargers: 1, maxCurrentA: 32, meterIntervalSec: 600 });
    await registerFleet(fleet, { apiUrl: `${t.httpUrl}/api/v1`, apiKey: t.adminKey });
    fleet.start();
    try {
      await fleet.whenOnline();
      const charger = fleet.chargers[0];
      const group = (await t.api('POST', '/api/v1/load-groups', { name: `bounds-${fleet.options.idPrefix}`, maxCurrentA: 32, phases: 3 })).body;
      expect((await t.api('PUT', `/api/v1/load-groups/${group.id}/chargers/${charger.id}`, { maxCurrentA: 20 })).status).to.equal(200);
      expect(await charger.startSession(1, token.uid, EV)).to.equal('started');
      const drawing = (amps: number, what: string) =>
        eventually(async () => {
          const v = (await t.api('GET', `/api/v1/load-groups/${group.id}`)).body;
          return v.sessions[0]?.limitA === amps && v.sessions[0].status === 'Accepted' && Math.abs(charger.connector(1).currentA - amps) < 0.05 && v;
        }, what, SETTLE_MS);
      await drawing(20, 'the operator bound (20 A of a 32 A share)');
      const session = await t.db('sessions').where({ charge_point_id: charger.id, status: 'ACTIVE' }).first('id', 'uid');

      // Act: the eMSP limits its session to 10 A, then clears its profile
      const set = await emsp.call('PUT', `/chargingprofiles/${session.uid}`, { charging_profile: { charging_rate_unit: 'A', charging_profile_period: [{ start_period: 0, limit: 10 }] }, response_url: emsp.responseUrl('set') });
      await drawing(10, 'the eMSP limit (10 A)');
      const levels = charger.model.profiles.profiles.filter((p) => p.purpose === 'Tx').map((p) => [p.stackLevel, p.schedule.periods[0].limit]);
      const cleared = await emsp.call('DELETE', `/chargingprofiles/${session.uid}?response_url=${encodeURIComponent(emsp.responseUrl('clear'))}`);
      await drawing(20, 'the operator bound again');

      // Assert: both profiles on the charger, load management's (level 2) carrying the smaller limit
      expect(set.body.data.result).to.equal('ACCEPTED');
      expect(levels).to.have.deep.members([[1, 10], [2, 10]]);
      expect(cleared.body.data.result).to.equal('ACCEPTED');
      expect(t.app.services.loadManager.lastAllocation()!.input.sessions.find((s) => s.sessionId === String(session.id))!.maxCurrentA).to.equal(20);
    } finally {
      await fleet.stop();
    }
  });
});

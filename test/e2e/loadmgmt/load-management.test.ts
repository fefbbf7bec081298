// Load management end to end (issue 10): simulated chargers (they obey SetChargingProfile and report
// per-phase Current.Import) on a 32 A three-phase load group. Whatever the allocator, the current the
// chargers draw per phase never exceeds the group's limit, and each change reaches them (polled, no timing).
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { allIdTags, registerFleet, type Fleet, type FleetOptions } from '../../../src/simulator/index.ts';
import type { SimulatedCharger } from '../../../src/simulator/sim-charger.ts';
import { aFleet } from '../../fixtures/simulator.ts';

const LIMIT_A = 32;
const EV_3P = { spec: { maxCurrentA: 16, phases: 3, batteryWh: 100_000 }, socPct: 20 };
const EV_1P = { spec: { maxCurrentA: 16, phases: 1, batteryWh: 40_000 }, socPct: 20 };
const SETTLE_MS = 30_000; // generous: the whole suite runs on 2 shared cores (no timed assertion, only a bound on the wait)

type View = { sessions: Array<{ sessionId: number; chargePointId: string; limitA: number | null; phases: number | null; status: string | null; uncontrolled: boolean }> };

/** Watches the draw of every simulated charger per phase (the simulator's L1..L3 are the grid's: no rotation). */
function watchDraw(fleet: Fleet): { max: number[]; stop(): void } {
  const max = [0, 0, 0];
  const timer = setInterval(() => {
    const sum = [0, 0, 0];
    for (const c of fleet.chargers) {
      const v = c.connector(1);
      if (v.tx) for (let i = 0; i < v.phases; i++) sum[i] += v.currentA;
    }
    sum.forEach((a, i) => (max[i] = Math.max(max[i], a)));
  }, 5);
  return { max, stop: () => clearInterval(timer) };
}

/** The charger has load management's TxDefaultProfile, at most `maxA` when given. */
const hasLoadDefault = (c: SimulatedCharger, maxA = Infinity): boolean => c.model.profiles.profiles.some((p) => p.purpose === 'TxDefault' && p.stackLevel === 2 && p.schedule.periods[0].limit <= maxA);

describe('e2e load management with the fleet simulator', function () {
  this.timeout(240_000); // several reallocations, each waited for on the chargers (no timed assertion)
  const t = useTestApp({ overrides: { 'loadManagement.debounceMs': 100, 'ocpp.callTimeoutSec': 5 } });

  async function aManagedFleet(chargers: number, o: Partial<FleetOptions> & { refusing?: number[]; defaultAtMostA?: number } = {}): Promise<{ fleet: Fleet; groupId: number; tags: string[] }> {
    const fleet = aFleet(t, { chargers, maxCurrentA: 16, meterIntervalSec: 0.1, reconnectMinSec: 0.05, reconnectMaxSec: 0.1, ...o });
    for (const i of o.refusing ?? []) fleet.chargers[i].model.rejectsChargingProfiles = true;
    await registerFleet(fleet, { apiUrl: `${t.httpUrl}/api/v1`, apiKey: t.adminKey });
    fleet.start();
    await fleet.whenOnline();
    const group = await t.api('POST', '/api/v1/load-groups', { name: `site-${fleet.options.idPrefix}`, maxCurrentA: LIMIT_A, phases: 3 });
    expect(group.status).to.equal(201);
    for (const c of fleet.chargers) expect((await t.api('PUT', `/api/v1/load-groups/${group.body.id}/chargers/${c.id}`, { maxCurrentA: 16 })).status).to.equal(200);
    // A safe TxDefaultProfile before any session: a new transaction never starts above its share.
    await eventually(async () => fleet.chargers.every((c, i) => (o.refusing ?? []).includes(i) || hasLoadDefault(c, o.defaultAtMostA)), 'the TxDefaultProfiles', SETTLE_MS);
    return { fleet, groupId: group.body.id, tags: allIdTags(fleet.options) };
  }

  const view = async (groupId: number): Promise<View> => (await t.api('GET', `/api/v1/load-groups/${groupId}`)).body;

  /** Waits until `n` sessions run, each controlled one charging at the limit sent to it (or paused under 6 A). */
  async function settled(fleet: Fleet, groupId: number, n: number, also: (v: View) => boolean = () => true): Promise<View> {
    return eventually(async () => {
      const v = await view(groupId);
      if (v.sessions.length !== n || !also(v)) return false;
      const isObeyed = v.sessions.every((s) => {
        if (s.uncontrolled) return true;
        const draw = fleet.charger(s.chargePointId)!.connector(1).currentA;
        return s.status === 'Accepted' && s.limitA !== null && Math.abs(draw - (s.limitA >= 6 ? Math.min(s.limitA, 16) : 0)) < 0.05;
      });
      return isObeyed && v;
    }, `${n} sessions at their limits`, SETTLE_MS);
  }

  it('should share the group among sessions starting and stopping, a single-phase car and a charger dropping offline, never above the limit per phase', async () => {
    // Arrange: six chargers on a 32 A three-phase group
    const { fleet, groupId, tags } = await aManagedFleet(6, { reconnectMinSec: 5, reconnectMaxSec: 5 });
    const watch = watchDraw(fleet);
    try {
      // Act 1: three three-phase cars arrive
      for (const i of [0, 1, 2]) await fleet.chargers[i].startSession(1, tags[i], EV_3P);
      // (A car that has just started draws less than it is given for a round: its spare goes to the others until
      // the next round, e.g. 6, 6, 16; then the shares are equal.)
      const isEqual = (v: View) => new Set(v.sessions.map((s) => s.limitA)).size === 1;
      const three = await settled(fleet, groupId, 3, isEqual);
      // Assert 1: equal by symmetry, at least the minimum, within the limit
      const limits = three.sessions.map((s) => s.limitA!);
      expect(new Set(limits).size, `limits ${limits}`).to.equal(1);
      expect(limits[0]).to.be.at.least(6);
      expect(limits[0] * 3).to.be.at.most(LIMIT_A);

      // Act 2: a single-phase car: seen drawing on one phase only
      await fleet.chargers[3].startSession(1, tags[3], EV_1P);
      const single = await settled(fleet, groupId, 4, (v) => v.sessions.find((s) => s.chargePointId === fleet.chargers[3].id)?.phases === 1);
      const l1 = single.sessions.reduce((sum, s) => sum + (s.limitA ?? 0), 0);
      expect(l1, 'L1 carries every car').to.be.at.most(LIMIT_A);

      // Act 3: the first car leaves; the others get its share
      await fleet.chargers[0].stopSession(1);
      const isRaised = (v: View) => v.sessions.filter((s) => s.phases === 3).every((s) => s.limitA! >= limits[0]);
      expect(isRaised(await settled(fleet, groupId, 3, isRaised))).to.equal(true);

      // Act 4: the server loses a charger with its session running (it reconnects only after its backoff, 5 s)
      const dropped = fleet.chargers[1];
      t.app.connections.get(dropped.id)!.terminate();
      // Assert 4: counted at its 16 A: the others share what is left on L1 (the single-phase car too)
      const othersSum = (v: View) => v.sessions.filter((s) => !s.uncontrolled).reduce((sum, s) => sum + s.limitA!, 0);
      const offline = await settled(fleet, groupId, 3, (v) => v.sessions.find((s) => s.chargePointId === dropped.id)?.uncontrolled === true && othersSum(v) <= LIMIT_A - 16);
      expect(othersSum(offline)).to.be.at.most(LIMIT_A - 16);

      // Act 5: it comes back and is controlled again
      await settled(fleet, groupId, 3, (v) => v.sessions.every((s) => !s.uncontrolled));
    } finally {
      watch.stop();
      await fleet.stop();
    }

    // Assert: the measured sum per phase never exceeded the limit
    for (const [i, max] of watch.max.entries()) expect(max, `L${i + 1}`).to.be.at.most(LIMIT_A + 1e-9);
    expect(watch.max[0]).to.be.greaterThan(0);
  });

  it('should count a charger that refuses charging profiles at its maximum and reduce the others', async () => {
    // Arrange: three chargers, the first refuses every SetChargingProfile
    // (their safe share once the refusing one is known: (32 − 16) / 2)
    const { fleet, groupId, tags } = await aManagedFleet(3, { refusing: [0], defaultAtMostA: 8 });
    const watch = watchDraw(fleet);
    try {
      // Act
      for (const i of [1, 2, 0]) await fleet.chargers[i].startSession(1, tags[i], EV_3P);
      const v = await settled(fleet, groupId, 3, (x) => x.sessions.some((s) => s.uncontrolled));

      // Assert: it draws its 16 A; the others share the other 16 A equally (symmetry)
      const refusing = v.sessions.find((s) => s.chargePointId === fleet.chargers[0].id)!;
      expect(refusing.uncontrolled).to.equal(true);
      expect(fleet.chargers[0].connector(1).currentA).to.equal(16);
      const others = v.sessions.filter((s) => !s.uncontrolled).map((s) => s.limitA!);
      expect(others).to.have.length(2);
      expect(others[0]).to.equal(others[1]);
      expect(others[0] * 2).to.be.at.most(LIMIT_A - 16);
    } finally {
      watch.stop();
      await fleet.stop();
    }
    for (const [i, max] of watch.max.entries()) expect(max, `L${i + 1}`).to.be.at.most(LIMIT_A + 1e-9);
  });
});

// The protocol-neutral charger model with a fake link and a clock that stands still: what it draws under
// charging limits, how it authorizes online and offline, and how commands change its connectors.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import type { IdTagInfo } from '../../../src/simulator/model/authorization.ts';
import { SimCharger } from '../../../src/simulator/model/charger.ts';
import type { ChargingProfile } from '../../../src/simulator/model/charging-profiles.ts';
import type { ChargerLink, ChargerSettings, EvArrival, MeterSample, StopReason, Transaction } from '../../../src/simulator/model/types.ts';
import { eventually } from '../../helpers/wait.ts';

const T0 = new Date('2026-03-02T08:00:00Z');
const EV: EvArrival = { spec: { maxCurrentA: 32, phases: 3, batteryWh: 60_000 }, socPct: 40 };

class FakeLink implements ChargerLink {
  isOnline = true;
  answer: IdTagInfo | undefined = { status: 'Accepted' };
  readonly started: Transaction[] = [];
  readonly stopped: Array<{ tx: Transaction; sample: MeterSample; reason: StopReason }> = [];
  connectorChanged(): void {}
  async authorize(): Promise<IdTagInfo | undefined> {
    return this.isOnline ? this.answer : undefined;
  }
  transactionStarted(tx: Transaction): void {
    this.started.push(tx);
  }
  meterValues(): void {}
  transactionStopped(tx: Transaction, sample: MeterSample, reason: StopReason): void {
    this.stopped.push({ tx, sample, reason });
  }
}

describe('simulator/model/charger', () => {
  let clock: ReturnType<typeof fixedClock>;
  let link: FakeLink;
  let charger: SimCharger;
  const settings = (): ChargerSettings => ({ meterIntervalSec: 3600, connectionTimeoutSec: 60, stopTxOnInvalidId: true, authorizeRemoteTx: false, localAuthorizeOffline: true, allowOfflineTxForUnknownId: false, unplugDelaySec: 3600, plugDelaySec: 0 });
  const profile = (o: Partial<ChargingProfile> & { limit: number; unit?: 'A' | 'W' }): ChargingProfile => {
    const { limit, unit = 'A', ...rest } = o;
    return { id: 1, connectorId: 1, stackLevel: 0, purpose: 'Tx', kind: 'Relative', installedAt: T0.getTime(), schedule: { unit, periods: [{ startPeriod: 0, limit }] }, ...rest };
  };

  beforeEach(() => {
    clock = fixedClock(T0);
    link = new FakeLink();
    charger = new SimCharger({ id: 'CP-1', connectors: 2, voltage: 230, phases: 3, maxCurrentA: 32, meterStartWh: [1000, 0] }, settings(), clock, { newEv: () => EV });
    charger.link = link;
  });
  afterEach(() => charger.dispose());

  it('should start a transaction at the meter reading and draw the EV maximum, metering the energy over time', async () => {
    // Act
    charger.plugIn(1, EV);
    const result = await charger.presentIdTag(1, 'TAG-1');
    clock.advance(3_600_000);
    const sample = charger.sample(1, 'Sample.Periodic');

    // Assert
    expect(result).to.equal('started');
    expect(link.started.map((t) => [t.connectorId, t.idTag, t.meterStartWh])).to.deep.equal([[1, 'TAG-1', 1000]]);
    expect([sample.currentsA, sample.powerW, sample.energyWh]).to.deep.equal([[32, 32, 32], 22_080, 1000 + 22_080]);
    expect(charger.view(1).chargingState).to.equal('Charging');
  });

  it('OCPP16 §3.13: should draw no more than a TxProfile allows, pause below 6 A, and go back up when it is cleared', async () => {
    charger.plugIn(1, EV);
    await charger.presentIdTag(1, 'TAG-1');

    expect(charger.setProfile(profile({ limit: 10 }))).to.equal('Accepted');
    const limited = charger.view(1);
    charger.setProfile(profile({ limit: 4 }));
    const paused = charger.view(1);
    charger.clearProfiles({ id: 1 });

    expect([limited.currentA, limited.powerW, limited.chargingState]).to.deep.equal([10, 6900, 'Charging']);
    expect([paused.currentA, paused.chargingState]).to.deep.equal([0, 'SuspendedEVSE']);
    expect(charger.view(1).currentA).to.equal(32);
  });

  it('OCPP16 §3.13.1: should share a ChargePointMaxProfile in W among the charging connectors; a single-phase EV draws on L1', async () => {
    charger.setProfile(profile({ connectorId: 0, purpose: 'ChargePointMax', kind: 'Absolute', limit: 11_040, unit: 'W' }));
    charger.plugIn(1, EV);
    await charger.presentIdTag(1, 'TAG-1');
    charger.plugIn(2, { spec: { maxCurrentA: 32, phases: 1, batteryWh: 40_000 }, socPct: 20 });
    await charger.presentIdTag(2, 'TAG-2');

    const [s1, s2] = [charger.sample(1, 'Sample.Periodic'), charger.sample(2, 'Sample.Periodic')];
    expect([s1.powerW, s2.powerW]).to.deep.equal([5520, 5520]);
    expect(s2.currentsA).to.deep.equal([24, 0, 0]);
  });

  it('OCPP16 §3.5: should authorize from the cache when offline, and refuse an unknown id tag', async () => {
    link.isOnline = false;
    charger.plugIn(1, EV);
    expect(await charger.presentIdTag(1, 'NEW')).to.equal('refused');
    charger.auth.remember('KNOWN', { status: 'Accepted' });
    expect(await charger.presentIdTag(1, 'KNOWN')).to.equal('started');
  });

  it('OCPP16 StopTransactionOnInvalidId: should stop a transaction the server refused in its StartTransaction answer', async () => {
    charger.plugIn(1, EV);
    await charger.presentIdTag(1, 'TAG-1');
    charger.startAnswered(link.started[0].ref, { status: 'Blocked' });
    expect(link.stopped.map((s) => s.reason)).to.deep.equal(['DeAuthorized']);
    expect(charger.view(1).finishing).to.equal(true);
  });

  it('OCPP16 §5.11: should take a remote start without an EV, install its TxProfile, and start when the EV is plugged in', async () => {
    const status = charger.remoteStart(undefined, 'APP-1', profile({ id: 7, limit: 12 }));
    await eventually(async () => link.started.length === 1, 'the transaction to start');
    expect([status, link.started[0].connectorId, charger.view(1).currentA]).to.deep.equal(['Accepted', 1, 12]);
    expect(charger.remoteStart(1, 'APP-2')).to.equal('Rejected');
  });

  it('OCPP16 §5.2: should make a busy connector Unavailable only when its transaction ends', async () => {
    charger.plugIn(1, EV);
    await charger.presentIdTag(1, 'TAG-1');
    const busy = (id: number) => charger.connector(id)?.tx !== undefined;
    expect([charger.availability.change(1, false, busy), charger.availability.change(2, false, busy)]).to.deep.equal(['Scheduled', 'Accepted']);
    const during = charger.view(1).operative;
    await charger.presentIdTag(1, 'TAG-1');
    expect([during, charger.view(1).operative, charger.view(2).operative]).to.deep.equal([true, false, false]);
  });

  it('OCPP16 §5.13: should keep a reserved connector for its id tag and use the reservation at the start', async () => {
    const r = charger.availability.reserve({ id: 5, connectorId: 1, idTag: 'RES', expiresAt: T0.getTime() + 3_600_000 }, false, T0.getTime());
    charger.plugIn(1, EV);
    const other = await charger.presentIdTag(1, 'OTHER');
    const mine = await charger.presentIdTag(1, 'RES');
    expect([r, other, mine, link.started[0].reservationId]).to.deep.equal(['Accepted', 'refused', 'started', 5]);
    expect(charger.availability.reservationOn(1)).to.equal(undefined);
  });

  it('should stop the transaction with the id tag that started it (reason Local) and end the TxProfile with it', async () => {
    charger.plugIn(1, EV);
    await charger.presentIdTag(1, 'TAG-1');
    charger.setProfile(profile({ limit: 10 }));
    expect(await charger.presentIdTag(1, 'SOMEONE')).to.equal('refused');
    expect(await charger.presentIdTag(1, 'TAG-1')).to.equal('stopped');
    expect([link.stopped[0].reason, charger.profiles.profiles]).to.deep.equal(['Local', []]);
  });

  it('OCPP16 §9.1 MeterValueSampleInterval: should sample every interval during a transaction, and not at all for 0', async () => {
    charger.plugIn(1, EV);
    await charger.presentIdTag(1, 'TAG-1');
    const during = charger.isSampling;
    charger.setMeterInterval(0);
    const off = charger.isSampling;
    charger.setMeterInterval(10);
    expect([during, off, charger.isSampling]).to.deep.equal([true, false, true]);
  });
});

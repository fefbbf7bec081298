// OCPP 2.0.1 smart charging (issue 12, functional block K): the protocol-neutral 1.6 commands of the admin API,
// OCPI and the load manager reach a 2.0.1 station translated; its reports are kept; the EV's charging needs
// become the session's charging preferences.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { eventually } from '../../helpers/wait.ts';
import { aToken } from '../../fixtures/chargers.ts';
import { aBootedCharger201, aTransactionEvent } from '../../fixtures/ocpp201.ts';
import { connectRaw, rawCall, type ChargerClient } from '../../helpers/charger.ts';
import { CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e OCPP 2.0.1 smart charging', function () {
  this.timeout(30_000);
  const t = useTestApp({ overrides: { 'loadManagement.debounceMs': 50 } });

  /** A booted 2.0.1 station with a running transaction `txId` on EVSE 1, and that session's id. */
  async function aRunningTransaction(): Promise<{ id: string; client: ChargerClient; txId: string; sessionId: number }> {
    const { id, client } = await aBootedCharger201(t);
    const uid = await aToken(t.app.services);
    const txId = randomUUID();
    await client.call('TransactionEvent', aTransactionEvent(txId, { idToken: { idToken: uid, type: 'ISO14443' } }));
    const session = await t.db('sessions').where({ charge_point_id: id }).first();
    return { id, client, txId, sessionId: session.id };
  }

  it('OCPP201 K01: should send an admin TxProfile naming the session as SetChargingProfile naming the station transactionId', async () => {
    // Arrange
    const { id, client, txId, sessionId } = await aRunningTransaction();
    const received: any[] = [];
    client.handle('SetChargingProfile', async ({ params }) => {
      received.push(params);
      return { status: 'Accepted' };
    });
    const profile = { chargingProfileId: 9, transactionId: sessionId, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] } };

    // Act
    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/SetChargingProfile`, { connectorId: 1, csChargingProfiles: profile });
    const other = await t.api('POST', `/api/v1/chargers/${id}/commands/SetChargingProfile`, { connectorId: 1, csChargingProfiles: { ...profile, transactionId: sessionId + 1_000_000 } });
    await client.close();

    // Assert
    expect([res.status, res.body.response, other.status]).to.deep.equal([200, { status: 'Accepted' }, 409]);
    expect(received).to.deep.equal([{ evseId: 1, chargingProfile: { id: 9, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', transactionId: txId, chargingSchedule: [{ id: 9, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] }] } }]);
  });

  it('OCPP201 K08/K10: should send GetCompositeSchedule and ClearChargingProfile translated and read the answers as 1.6', async () => {
    const { id, client } = await aBootedCharger201(t);
    const received: Array<[string, unknown]> = [];
    client.handle('GetCompositeSchedule', async ({ params }) => {
      received.push(['GetCompositeSchedule', params]);
      return { status: 'Accepted', schedule: { evseId: 1, duration: 60, scheduleStart: '2026-12-05T01:00:00.000Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] } };
    });
    client.handle('ClearChargingProfile', async ({ params }) => {
      received.push(['ClearChargingProfile', params]);
      return { status: 'Unknown' };
    });

    const composite = await t.api('POST', `/api/v1/chargers/${id}/commands/GetCompositeSchedule`, { connectorId: 1, duration: 60 });
    const clear = await t.api('POST', `/api/v1/chargers/${id}/commands/ClearChargingProfile`, { connectorId: 1, chargingProfilePurpose: 'TxProfile' });
    await client.close();

    expect(received).to.deep.equal([['GetCompositeSchedule', { evseId: 1, duration: 60 }], ['ClearChargingProfile', { chargingProfileCriteria: { evseId: 1, chargingProfilePurpose: 'TxProfile' } }]]);
    expect(composite.body.response).to.deep.equal({ status: 'Accepted', connectorId: 1, scheduleStart: '2026-12-05T01:00:00.000Z', chargingSchedule: { duration: 60, startSchedule: '2026-12-05T01:00:00.000Z', chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] } });
    expect([clear.status, clear.body.response]).to.deep.equal([200, { status: 'Unknown' }]);
  });

  it('OCPP201 K01: should have the load manager send a 2.0.1 station its TxDefaultProfile and the TxProfile of its transaction', async () => {
    // Arrange: a load group with the 2.0.1 station in it
    const { id, client } = await aBootedCharger201(t);
    const profiles: any[] = [];
    client.handle('SetChargingProfile', async ({ params }) => {
      profiles.push(params);
      return { status: 'Accepted' };
    });
    const group = await t.api('POST', '/api/v1/load-groups', { name: `g-${id}`, maxCurrentA: 32, phases: 3 });
    expect((await t.api('PUT', `/api/v1/load-groups/${group.body.id}/chargers/${id}`, { maxCurrentA: 16 })).status).to.equal(200);
    await eventually(async () => profiles.some((p) => p.chargingProfile.chargingProfilePurpose === 'TxDefaultProfile'), 'the TxDefaultProfile', 10_000);

    // Act: a transaction starts
    const uid = await aToken(t.app.services);
    const txId = randomUUID();
    await client.call('TransactionEvent', aTransactionEvent(txId, { idToken: { idToken: uid, type: 'ISO14443' } }));
    const tx = await eventually(async () => profiles.find((p) => p.chargingProfile.chargingProfilePurpose === 'TxProfile'), 'the TxProfile', 10_000);
    await client.close();

    // Assert
    const txDefault = profiles.find((p) => p.chargingProfile.chargingProfilePurpose === 'TxDefaultProfile');
    expect([txDefault.evseId, txDefault.chargingProfile.chargingProfileKind]).to.deep.equal([0, 'Relative']);
    expect([tx.evseId, tx.chargingProfile.transactionId, tx.chargingProfile.chargingSchedule[0].chargingRateUnit]).to.deep.equal([1, txId, 'A']);
    expect(tx.chargingProfile.chargingSchedule[0].chargingSchedulePeriod[0].limit).to.be.within(6, 16);
  });

  it('OCPP201 K15: should store the EV charging needs as the session charging preferences (energy need incl. delivered, departure)', async () => {
    // Arrange
    const { client, sessionId } = await aRunningTransaction();
    const departureTime = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const needs = { requestedEnergyTransfer: 'AC_three_phase', departureTime, acChargingParameters: { energyAmount: 20_000, evMinCurrent: 6, evMaxCurrent: 16, evMaxVoltage: 400 } };

    // Act
    const accepted = await client.call('NotifyEVChargingNeeds', { evseId: 1, chargingNeeds: needs });
    const noSession = await client.call('NotifyEVChargingNeeds', { evseId: 2, chargingNeeds: needs });
    await client.close();

    // Assert
    const row = await t.db('sessions').where({ id: sessionId }).first();
    const stored = typeof row.charging_preferences === 'string' ? JSON.parse(row.charging_preferences) : row.charging_preferences;
    expect([accepted, noSession]).to.deep.equal([{ status: 'Accepted' }, { status: 'Rejected' }]);
    expect(stored).to.deep.equal({ profile_type: 'REGULAR', energy_need: 20, departure_time: departureTime });
    expect(row.charging_preferences_response).to.equal(null);
  });

  it('OCPP201 K09/K12/K17: should keep ReportChargingProfiles, NotifyChargingLimit and NotifyEVChargingSchedule in the event log', async () => {
    const { id, client } = await aBootedCharger201(t);
    const schedule = { id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7000 }] };

    const answers = [
      await client.call('ReportChargingProfiles', { requestId: 3, chargingLimitSource: 'CSO', evseId: 1, chargingProfile: [{ id: 1, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: [schedule] }] }),
      await client.call('NotifyChargingLimit', { evseId: 1, chargingLimit: { chargingLimitSource: 'SO', isGridCritical: true }, chargingSchedule: [schedule] }),
      await client.call('NotifyEVChargingSchedule', { timeBase: new Date().toISOString(), evseId: 1, chargingSchedule: schedule }),
    ];
    await client.close();

    const types = (await t.db('charge_point_events').where({ charge_point_id: id }).whereNotIn('type', ['BootNotification', 'Connected', 'Disconnected']).orderBy('id')).map((e) => e.type);
    expect(answers).to.deep.equal([{}, {}, { status: 'Accepted' }]);
    expect(types).to.deep.equal(['ReportChargingProfiles', 'NotifyChargingLimit', 'NotifyEVChargingSchedule']);
  });

  it('OCPP-J 2.0.1 §4.3: should answer malformed smart-charging messages with the 2.0.1 CALLERROR and store nothing', async () => {
    const { id, client, sessionId } = await aRunningTransaction();
    await client.close();
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });

    const codes = [
      (await rawCall(sock, 'NotifyEVChargingNeeds', { evseId: 1 }, 'm1'))[2],
      (await rawCall(sock, 'NotifyEVChargingNeeds', { evseId: 1, chargingNeeds: { requestedEnergyTransfer: 'Teleport' } }, 'm2'))[2],
      (await rawCall(sock, 'ReportChargingProfiles', { requestId: 'x', chargingLimitSource: 'CSO', evseId: 1, chargingProfile: [] }, 'm3'))[2],
    ];
    await sock.close();

    expect(codes).to.deep.equal(['OccurrenceConstraintViolation', 'PropertyConstraintViolation', 'TypeConstraintViolation']);
    expect((await t.db('sessions').where({ id: sessionId }).first()).charging_preferences).to.equal(null);
    expect(await t.db('charge_point_events').where({ charge_point_id: id, type: 'ReportChargingProfiles' })).to.deep.equal([]);
  });
});

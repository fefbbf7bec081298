// A charger's configuration as the charger confirms it (OCPP 1.6 §5.3 ChangeConfiguration, §5.8
// GetConfiguration): stored, listed, and HeartbeatInterval used by offline detection and at the next boot.
import { expect } from 'chai';
import { fixedClock } from '../../../src/shared/clock.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { aBootNotification } from '../../fixtures/chargers.ts';

describe('e2e OCPP 1.6 charger configuration kept as confirmed', () => {
  const T0 = new Date('2030-06-01T08:00:00Z');
  const clock = fixedClock(T0);
  const t = useTestApp({ clock, overrides: { 'ocpp.heartbeatIntervalSec': 300, 'ocpp.offlineAfterMissedHeartbeats': 3 } });
  beforeEach(() => clock.set(T0));

  const changeHeartbeat = (id: string, value: string) => t.api('POST', `/api/v1/chargers/${id}/commands/ChangeConfiguration`, { key: 'HeartbeatInterval', value });
  const isOnline = async (id: string) => (await t.db('charge_points').where({ id }).first()).is_online;

  it('OCPP16 §5.3: should use an accepted HeartbeatInterval for offline detection (no false offline fault)', async () => {
    // Arrange: booted with the default 300 s; the operator raises the interval to an hour
    const { id, client } = await aBootedCharger(t);
    client.handle('ChangeConfiguration', async () => ({ status: 'Accepted' }));
    expect((await changeHeartbeat(id, '3600')).body.response).to.deep.equal({ status: 'Accepted' });

    // Act: 20 minutes without a message: late for 3 × 300 s, on time for 3 × 3600 s
    clock.advance(20 * 60_000);
    const marked = await t.app.services.chargers.markOverdueOffline(3);
    await client.close();

    // Assert
    expect(marked).to.not.include(id);
    expect(await isOnline(id)).to.equal(true);
    expect((await t.db('charge_points').where({ id }).first()).heartbeat_interval_sec).to.equal(3600);
  });

  it('OCPP16 §5.3: should keep the interval as it was when the charger rejects the change', async () => {
    const { id, client } = await aBootedCharger(t);
    client.handle('ChangeConfiguration', async () => ({ status: 'Rejected' }));
    await changeHeartbeat(id, '3600');
    clock.advance(20 * 60_000);
    const marked = await t.app.services.chargers.markOverdueOffline(3);
    const listed = await t.api('GET', `/api/v1/chargers/${id}/configuration`);
    await client.close();

    expect(marked).to.include(id);
    expect(listed.body.data).to.deep.equal([]);
  });

  it('OCPP16 §4.2: should answer the next BootNotification with the confirmed interval, and apply a RebootRequired value at that boot', async () => {
    // Arrange
    const { id, client } = await aBootedCharger(t);
    client.handle('ChangeConfiguration', async ({ params }) => ({ status: params?.key === 'HeartbeatInterval' ? 'RebootRequired' : 'Accepted' }));
    await changeHeartbeat(id, '900');
    const before = (await t.api('GET', `/api/v1/chargers/${id}/configuration`)).body.data;

    // Act: the charger reboots
    const boot = await client.call('BootNotification', aBootNotification());
    const after = (await t.api('GET', `/api/v1/chargers/${id}/configuration`)).body.data;
    await client.close();

    // Assert
    expect(before.map((k: { key: string; status: string }) => [k.key, k.status])).to.deep.equal([['HeartbeatInterval', 'RebootRequired']]);
    expect(boot).to.include({ status: 'Accepted', interval: 900 });
    expect(after.map((k: { key: string; value: string; status: string }) => [k.key, k.value, k.status])).to.deep.equal([['HeartbeatInterval', '900', 'Confirmed']]);
  });

  it('OCPP16 §5.8: should keep every key of a GetConfiguration answer, and a later change on top of it', async () => {
    // Arrange
    const { id, client } = await aBootedCharger(t);
    client.handle('GetConfiguration', async () => ({ configurationKey: [{ key: 'NumberOfConnectors', readonly: true, value: '2' }, { key: 'MeterValueSampleInterval', readonly: false, value: '60' }], unknownKey: [] }));
    client.handle('ChangeConfiguration', async () => ({ status: 'Accepted' }));

    // Act
    await t.api('POST', `/api/v1/chargers/${id}/commands/GetConfiguration`, {});
    clock.advance(1000);
    await t.api('POST', `/api/v1/chargers/${id}/commands/ChangeConfiguration`, { key: 'MeterValueSampleInterval', value: '30' });
    const listed = await t.api('GET', `/api/v1/chargers/${id}/configuration`);
    await client.close();

    // Assert
    expect(listed.status).to.equal(200);
    expect(listed.body.data).to.deep.equal([
      { key: 'MeterValueSampleInterval', value: '30', readonly: false, status: 'Confirmed', source: 'ChangeConfiguration', confirmedAt: '2030-06-01T08:00:01.000Z' },
      { key: 'NumberOfConnectors', value: '2', readonly: true, status: 'Confirmed', source: 'GetConfiguration', confirmedAt: '2030-06-01T08:00:00.000Z' },
    ]);
  });

  it('should answer 404 for the configuration of an unknown charger', async () => {
    expect((await t.api('GET', '/api/v1/chargers/NOPE-CFG/configuration')).status).to.equal(404);
  });
});

// OCPP 2.0.1 beside 1.6 on one endpoint (issue 12): negotiation, 2.0.1 CALLERROR codes, provisioning (block B)
// and availability (block G) messages onto the same charger model as 1.6.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectCharger, connectRaw, rawCall } from '../../helpers/charger.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { aBootNotification, aLocation, aRegisteredCharger, anEvseUid, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';
import { aBootedCharger201, aBootNotification201, aStatusNotification201, OCPP201 } from '../../fixtures/ocpp201.ts';

describe('e2e OCPP 2.0.1 negotiation and provisioning', () => {
  const t = useTestApp();

  it('OCPP-J 2.0.1 §3.1.2: should negotiate ocpp2.0.1 with a charger offering both versions and record the protocol', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const connected = nextEvent(t.app.events, 'charger.connected', (e) => e.chargePointId === id);

    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: ['ocpp1.6', 'ocpp2.0.1'] });
    await connected;
    await client.close();

    expect(client.protocol).to.equal('ocpp2.0.1');
    expect((await t.db('charge_points').where({ id }).first()).protocol).to.equal('ocpp2.0.1');
  });

  it('should cache nothing per charger: a short 2.0.1 probe connection, then a 1.6 connection that speaks 1.6', async () => {
    // Arrange: the probe
    const id = await aRegisteredCharger(t.app.services);
    const probe = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: OCPP201 });
    await probe.close();

    // Act: no wait for the connection record: a message is handled only after its socket's record
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: ['ocpp1.6'] });
    const boot = (await client.call('BootNotification', aBootNotification())) as { status: string };
    await client.close();

    // Assert
    expect([client.protocol, boot.status]).to.deep.equal(['ocpp1.6', 'Accepted']);
    expect((await t.db('charge_points').where({ id }).first()).protocol).to.equal('ocpp1.6');
  });

  it('OCPP201 B01 BootNotification: should accept a registered station with the heartbeat interval and store the same fields as 1.6', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: OCPP201 });

    const res = (await client.call('BootNotification', aBootNotification201({ vendorName: 'Alfen', model: 'Eve', serialNumber: 'SN-2', firmwareVersion: '6.1', modem: { iccid: '8931', imsi: '2041' } }, 'Watchdog'))) as any;
    await client.close();

    expect([res.status, res.interval]).to.deep.equal(['Accepted', t.config.ocpp.heartbeatIntervalSec]);
    const row = await t.db('charge_points').where({ id }).first();
    expect([row.vendor, row.model, row.serial_number, row.firmware_version, row.iccid, row.imsi]).to.deep.equal(['Alfen', 'Eve', 'SN-2', '6.1', '8931', '2041']);
    const event = await t.db('charge_point_events').where({ charge_point_id: id, type: 'BootNotification' }).first();
    expect(event.payload.reason).to.equal('Watchdog');
  });

  it('OCPP201 B02: should answer Pending to a Pending station and refuse Authorize from it with SecurityError', async () => {
    const id = await aRegisteredCharger(t.app.services, { status: 'Pending' });
    const client = await connectCharger(t, id, { password: CHARGER_PASSWORD, protocols: OCPP201 });

    const boot = (await client.call('BootNotification', aBootNotification201())) as any;
    const refused = await client.call('Authorize', { idToken: { idToken: 'ABC', type: 'ISO14443' } }).catch((err: { rpcErrorCode: string }) => err.rpcErrorCode);
    await client.close();

    expect([boot.status, boot.interval, refused]).to.deep.equal(['Pending', t.config.ocpp.pendingIntervalSec, 'SecurityError']);
  });

  it('OCPP201 G01 Heartbeat: should answer the current time', async () => {
    const { client } = await aBootedCharger201(t);

    const res = (await client.call('Heartbeat', {})) as { currentTime: string };
    await client.close();

    expect(Number.isNaN(Date.parse(res.currentTime))).to.equal(false);
  });

  it('OCPP201 G01 StatusNotification: should map EVSE 1 connector 1 onto connector 1 and its OCPI EVSE status', async () => {
    const locationId = await aLocation(t.app.services);
    const evseUid = anEvseUid();
    const { id, client } = await aBootedCharger201(t, { locationId, evseUid });
    const seen: string[] = [];

    await client.call('StatusNotification', aStatusNotification201({ connectorStatus: 'Available' }));
    seen.push((await t.db('evses').where({ uid: evseUid }).first()).status);
    await client.call('StatusNotification', aStatusNotification201({ connectorStatus: 'Occupied', timestamp: new Date(Date.now() + 1000).toISOString() }));
    seen.push((await t.db('evses').where({ uid: evseUid }).first()).status);
    await client.close();

    expect(seen).to.deep.equal(['AVAILABLE', 'CHARGING']);
    const connector = await t.db('connectors').where({ charge_point_id: id, connector_number: 1 }).first();
    expect(connector.ocpp_status).to.equal('Charging');
  });

  it('OCPP201 G01 StatusNotification: should refuse an EVSE connector cpms cannot number (connectorId 0 or 100, evseId 100) with PropertyConstraintViolation and store nothing', async () => {
    const { id, client } = await aBootedCharger201(t);

    const codes = [];
    for (const address of [{ evseId: 1, connectorId: 0 }, { evseId: 1, connectorId: 100 }, { evseId: 100, connectorId: 2 }]) {
      codes.push(await client.call('StatusNotification', aStatusNotification201(address)).catch((err: { rpcErrorCode: string }) => err.rpcErrorCode));
    }
    await client.close();

    expect(codes).to.deep.equal(['PropertyConstraintViolation', 'PropertyConstraintViolation', 'PropertyConstraintViolation']);
    expect(await t.db('connectors').where({ charge_point_id: id })).to.deep.equal([]);
  });

  it('OCPP201 N07 NotifyEvent: should store the event in the charger event log', async () => {
    const { id, client } = await aBootedCharger201(t);
    const notify = { generatedAt: new Date().toISOString(), seqNo: 0, eventData: [{ eventId: 1, timestamp: new Date().toISOString(), trigger: 'Alerting', actualValue: 'true', eventNotificationType: 'HardWiredNotification', component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'Problem' } }] };

    await client.call('NotifyEvent', notify);
    await client.close();

    const event = await t.db('charge_point_events').where({ charge_point_id: id, type: 'NotifyEvent' }).first();
    expect(event.payload.eventData[0].variable.name).to.equal('Problem');
  });

  const violations: Array<{ name: string; action: string; payload: unknown; code: string }> = [
    { name: 'OCPP-J 2.0.1 §4.3: should answer OccurrenceConstraintViolation (2.0.1 spelling) for a missing required field', action: 'BootNotification', payload: { reason: 'PowerUp', chargingStation: { vendorName: 'V' } }, code: 'OccurrenceConstraintViolation' },
    { name: 'OCPP-J 2.0.1 §4.3: should answer FormatViolation (2.0.1 spelling) for a property the schema does not define', action: 'Heartbeat', payload: { extra: true }, code: 'FormatViolation' },
    { name: 'OCPP-J 2.0.1 §4.3: should answer PropertyConstraintViolation for a value outside the enum', action: 'StatusNotification', payload: { timestamp: new Date().toISOString(), connectorStatus: 'Charging', evseId: 1, connectorId: 1 }, code: 'PropertyConstraintViolation' },
    { name: 'OCPP-J 2.0.1 §4.3: should answer a 1.6 payload on a 2.0.1 connection with a CALLERROR', action: 'BootNotification', payload: aBootNotification(), code: 'OccurrenceConstraintViolation' },
    { name: 'OCPP-J 2.0.1 §4.3: should answer NotImplemented for a CSMS action sent by a station', action: 'RequestStartTransaction', payload: { idToken: { idToken: 'A', type: 'Central' }, remoteStartId: 1 }, code: 'NotImplemented' },
  ];
  for (const c of violations) {
    it(c.name, async () => {
      const id = await aRegisteredCharger(t.app.services);
      const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });

      const reply = await rawCall(sock, c.action, c.payload, 'msg-1');
      await sock.close();

      expect(reply.slice(0, 3)).to.deep.equal([4, 'msg-1', c.code]);
      expect((await t.db('charge_points').where({ id }).first()).vendor).to.equal(null);
    });
  }

  it('OCPP-J 2.0.1 §4.2.3: should answer a CALL without a payload with RpcFrameworkError or FormatViolation (2.0.1 codes)', async () => {
    const id = await aRegisteredCharger(t.app.services);
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD, protocol: 'ocpp2.0.1' });

    sock.send([2, 'short-1', 'Heartbeat']);
    const reply = await sock.reply('short-1');
    await sock.close();

    expect(['RpcFrameworkError', 'FormatViolation']).to.include(reply[2]);
  });
});

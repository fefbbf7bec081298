// Integers and times the OCPP 1.6 schemas let through but no charger can mean (issue 7): connector ids
// −1, −7, 2147483647 were registered as connectors and published to eMSPs, 2147483648 gave InternalError.
// They are refused with PropertyConstraintViolation (OCPP-J 1.6 §4.2.3) and nothing is stored.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedCharger } from '../../fixtures/booted-charger.ts';
import { connectRaw, rawCall, type RawSocket } from '../../helpers/charger.ts';
import { aBootNotification, aRegisteredCharger, aStartTransaction, aStatusNotification, aStopTransaction, aToken, anEnergyReading, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e OCPP 1.6 range checks of connector ids, transaction ids and times', () => {
  const t = useTestApp();

  async function bootedSocket(): Promise<{ id: string; sock: RawSocket }> {
    const id = await aRegisteredCharger(t.app.services);
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD });
    expect((await rawCall(sock, 'BootNotification', aBootNotification()))[0]).to.equal(3);
    return { id, sock };
  }

  const stored = async (id: string) => ({
    connectors: (await t.db('connectors').where({ charge_point_id: id }).orderBy('connector_number')).map((c) => c.connector_number),
    statuses: (await t.db('status_history').where({ charge_point_id: id })).length,
    sessions: (await t.db('sessions').where({ charge_point_id: id })).length,
    samples: (await t.db('meter_values').where({ charge_point_id: id })).length,
  });

  /** `accepted`, or the CALLERROR code and the field its message names. */
  async function outcome(sock: RawSocket, action: string, payload: unknown): Promise<string> {
    const reply = await rawCall(sock, action, payload);
    return reply[0] === 3 ? 'accepted' : `${reply[2]}: ${String(reply[3]).split(':')[0]}`;
  }

  it('OCPP16 §4.9 StatusNotification: should refuse connectorId −1, −7, 2147483647, 2147483648 and one above ocpp.maxConnectorId, and accept 0 and the maximum', async () => {
    const { id, sock } = await bootedSocket();

    const refused = [];
    for (const connectorId of [-1, -7, 2_147_483_647, 2_147_483_648, t.config.ocpp.maxConnectorId + 1]) {
      refused.push(await outcome(sock, 'StatusNotification', aStatusNotification({ connectorId })));
    }
    const whole = await outcome(sock, 'StatusNotification', aStatusNotification({ connectorId: 0 }));
    const highest = await outcome(sock, 'StatusNotification', aStatusNotification({ connectorId: t.config.ocpp.maxConnectorId }));
    await sock.close();

    expect(refused).to.deep.equal(Array(5).fill('PropertyConstraintViolation: connectorId'));
    expect([whole, highest]).to.deep.equal(['accepted', 'accepted']);
    expect(await stored(id)).to.deep.equal({ connectors: [t.config.ocpp.maxConnectorId], statuses: 2, sessions: 0, samples: 0 });
  });

  it('OCPP16 §4.8 StartTransaction: should refuse connectorId 0, −2 and 2147483648, a negative meterStart, a reservationId beyond int4 and year 0, recording no session', async () => {
    const { id, sock } = await bootedSocket();
    const idTag = await aToken(t.app.services);

    const results = [
      await outcome(sock, 'StartTransaction', aStartTransaction(idTag, { connectorId: 0 })),
      await outcome(sock, 'StartTransaction', aStartTransaction(idTag, { connectorId: -2 })),
      await outcome(sock, 'StartTransaction', aStartTransaction(idTag, { connectorId: 2_147_483_648 })),
      await outcome(sock, 'StartTransaction', aStartTransaction(idTag, { meterStart: -1 })),
      await outcome(sock, 'StartTransaction', aStartTransaction(idTag, { reservationId: 2_147_483_648 })),
      await outcome(sock, 'StartTransaction', aStartTransaction(idTag, { timestamp: '0000-01-01T00:00:00Z' })),
    ];
    await sock.close();

    expect(results).to.deep.equal([
      'PropertyConstraintViolation: connectorId',
      'PropertyConstraintViolation: connectorId',
      'PropertyConstraintViolation: connectorId',
      'PropertyConstraintViolation: meterStart',
      'PropertyConstraintViolation: reservationId',
      'PropertyConstraintViolation: timestamp',
    ]);
    expect(await stored(id)).to.deep.equal({ connectors: [], statuses: 0, sessions: 0, samples: 0 });
  });

  it('OCPP16 §4.7 MeterValues and §4.10 StopTransaction: should refuse transactionIds beyond int4 and impossible times, and keep acknowledging an unknown transactionId', async () => {
    const { id, sock } = await bootedSocket();
    const idTag = await aToken(t.app.services);
    const started = await rawCall(sock, 'StartTransaction', aStartTransaction(idTag, { timestamp: '2026-01-10T10:00:00Z' }));
    const before = await stored(id);

    const refused = [
      await outcome(sock, 'MeterValues', anEnergyReading(2_147_483_648, '1500')),
      await outcome(sock, 'MeterValues', anEnergyReading(started[2].transactionId, '1500', { connectorId: -1 })),
      await outcome(sock, 'MeterValues', anEnergyReading(started[2].transactionId, '1500', { timestamp: '0000-01-01T00:00:00Z' })),
      await outcome(sock, 'StopTransaction', aStopTransaction(-2_147_483_649)),
      await outcome(sock, 'StopTransaction', aStopTransaction(started[2].transactionId, { meterStop: 9_007_199_254_740_993 })),
    ];
    const afterRefusals = await stored(id);
    const unknown = [await outcome(sock, 'MeterValues', anEnergyReading(2_147_483_647, '1500')), await outcome(sock, 'StopTransaction', aStopTransaction(2_147_483_647))];
    const wholeCharger = await outcome(sock, 'MeterValues', anEnergyReading(undefined, '99000', { connectorId: 0 }));
    await sock.close();

    expect(refused).to.deep.equal([
      'PropertyConstraintViolation: transactionId',
      'PropertyConstraintViolation: connectorId',
      'PropertyConstraintViolation: meterValue[0].timestamp',
      'PropertyConstraintViolation: transactionId',
      'PropertyConstraintViolation: meterStop',
    ]);
    expect(afterRefusals).to.deep.equal(before);
    expect([...unknown, wholeCharger]).to.deep.equal(['accepted', 'accepted', 'accepted']);
    expect((await t.db('sessions').where({ id: started[2].transactionId }).first()).status).to.equal('ACTIVE');
  });

  it('RFC 3339 leap second: should read 23:59:60 as the last millisecond of that minute instead of refusing it', async () => {
    const { id, sock } = await bootedSocket();

    const reply = await outcome(sock, 'StatusNotification', aStatusNotification({ timestamp: '2016-12-31T23:59:60Z' }));
    await sock.close();

    expect(reply).to.equal('accepted');
    const row = await t.db('status_history').where({ charge_point_id: id }).first();
    expect(row.timestamp.toISOString()).to.equal('2016-12-31T23:59:59.999Z');
  });

  it('OCPP 1.6 §9.1 NumberOfConnectors: should refuse a connectorId above the count the charger answered to GetConfiguration', async () => {
    // Arrange: the operator reads the charger's configuration
    const { id, client } = await aBootedCharger(t);
    client.handle('GetConfiguration', async () => ({ configurationKey: [{ key: 'NumberOfConnectors', readonly: true, value: '2' }] }));
    const read = await t.api('POST', `/api/v1/chargers/${id}/commands/GetConfiguration`, { key: ['NumberOfConnectors'] });
    expect(read.status).to.equal(200);
    expect((await t.api('GET', `/api/v1/chargers/${id}/configuration`)).body.data.map((k: { key: string; value: string }) => [k.key, k.value])).to.deep.equal([['NumberOfConnectors', '2']]);

    // Act
    const second = await client.call('StatusNotification', aStatusNotification({ connectorId: 2 }));
    const third = await client.call('StatusNotification', aStatusNotification({ connectorId: 3 })).catch((err: { rpcErrorCode?: string }) => err.rpcErrorCode);
    await client.close();

    // Assert
    expect([second, third]).to.deep.equal([{}, 'PropertyConstraintViolation']);
    expect((await stored(id)).connectors).to.deep.equal([2]);
  });
});

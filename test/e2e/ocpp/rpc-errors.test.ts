// OCPP-J 1.6 §4.2.3 CALLERROR codes for schema violations and bad frames, checked on the raw wire.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { connectRaw, rawCall, type RawSocket } from '../../helpers/charger.ts';
import { aBootNotification, aRegisteredCharger, aStartTransaction, aStatusNotification, aToken, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e OCPP-J framing and CALLERROR codes', () => {
  const t = useTestApp();

  async function bootedSocket(status: 'Accepted' | 'Pending' = 'Accepted'): Promise<{ id: string; sock: RawSocket }> {
    const id = await aRegisteredCharger(t.app.services, { status });
    const sock = await connectRaw(t, id, { password: CHARGER_PASSWORD });
    const boot = await rawCall(sock, 'BootNotification', aBootNotification());
    expect(boot[0]).to.equal(3);
    return { id, sock };
  }

  const cases: Array<{ name: string; action: string; payload: unknown; code: string }> = [
    { name: 'OCPP-J 1.6 §4.2.3: should answer TypeConstraintViolation for a number where the schema wants a string', action: 'BootNotification', payload: { chargePointVendor: 123, chargePointModel: 'M' }, code: 'TypeConstraintViolation' },
    { name: 'OCPP-J 1.6 §4.2.3: should answer OccurenceConstraintViolation (1.6 spelling) for a missing required field', action: 'BootNotification', payload: { chargePointVendor: 'V' }, code: 'OccurenceConstraintViolation' },
    { name: 'OCPP-J 1.6 §4.2.3: should answer PropertyConstraintViolation for a value outside the enum', action: 'StatusNotification', payload: { connectorId: 1, errorCode: 'NoError', status: 'Sleeping' }, code: 'PropertyConstraintViolation' },
    { name: 'OCPP-J 1.6 §4.2.3: should answer PropertyConstraintViolation for a string longer than maxLength', action: 'BootNotification', payload: { chargePointVendor: 'V'.repeat(21), chargePointModel: 'M' }, code: 'PropertyConstraintViolation' },
    { name: 'OCPP-J 1.6 §4.2.3: should answer FormationViolation for a property the schema does not define', action: 'Heartbeat', payload: { extra: true }, code: 'FormationViolation' },
    { name: 'OCPP-J 1.6 §4.2.3: should answer TypeConstraintViolation for a payload that is not an object', action: 'Heartbeat', payload: [], code: 'TypeConstraintViolation' },
    { name: 'OCPP-J 1.6 §4.2.3: should answer NotImplemented for an unknown action', action: 'FlyToTheMoon', payload: {}, code: 'NotImplemented' },
    { name: 'OCPP-J 1.6 §4.2.3: should answer NotImplemented for a central-system action sent by a charger', action: 'Reset', payload: { type: 'Hard' }, code: 'NotImplemented' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { sock } = await bootedSocket();

      const reply = await rawCall(sock, c.action, c.payload, 'msg-1');
      await sock.close();

      expect(reply.slice(0, 3)).to.deep.equal([4, 'msg-1', c.code]);
      expect(reply[3]).to.be.a('string').and.not.equal('');
      expect(reply[4]).to.be.an('object');
    });
  }

  it('OCPP-J 1.6 §4.1.3: should answer FormationViolation for a CALL without a payload and keep the socket open', async () => {
    const { sock } = await bootedSocket();

    sock.send([2, 'short-1', 'Heartbeat']);
    const reply = await sock.reply('short-1');
    const after = await rawCall(sock, 'Heartbeat', {});
    await sock.close();

    expect(reply.slice(0, 3)).to.deep.equal([4, 'short-1', 'FormationViolation']);
    expect(after[0]).to.equal(3);
  });

  it('OCPP16 §4.2.1: should answer SecurityError to StartTransaction before the charger is Accepted', async () => {
    const { sock } = await bootedSocket('Pending');
    const idTag = await aToken(t.app.services);

    const reply = await rawCall(sock, 'StartTransaction', aStartTransaction(idTag), 'start-1');
    await sock.close();

    expect(reply.slice(0, 3)).to.deep.equal([4, 'start-1', 'SecurityError']);
  });

  it('should answer a frame that is not JSON with a FormationViolation and not close this or any other charger socket', async () => {
    // Arrange
    const { sock: bad } = await bootedSocket();
    const { sock: good } = await bootedSocket();

    // Act
    bad.send('this is not json');
    const badReply = await bad.next();
    bad.send('[2, "x"');
    const badReply2 = await bad.next();
    bad.send(JSON.stringify({ not: 'an array' }));
    const badReply3 = await bad.next();
    const goodAfter = await rawCall(good, 'Heartbeat', {});
    const badAfter = await rawCall(bad, 'Heartbeat', {});
    await bad.close();
    await good.close();

    // Assert
    for (const r of [badReply, badReply2, badReply3]) expect([r[0], r[2]]).to.deep.equal([4, 'FormationViolation']);
    expect(goodAfter[0]).to.equal(3);
    expect(badAfter[0]).to.equal(3);
  });

  it('OCPP-J 1.6 §4.2.3: should answer PropertyConstraintViolation, not InternalError, for schema-valid values the database cannot hold, and keep serving the charger', async () => {
    const { id, sock } = await bootedSocket();

    // connectorId fits the schema ("integer") but not the int4 column: refused by the range check
    const big = await rawCall(sock, 'StatusNotification', aStatusNotification({ connectorId: 3_000_000_000 }), 'big-1');
    // a NUL character fits the schema ("string") but no PostgreSQL text: the class-22 safety net
    const nul = await rawCall(sock, 'BootNotification', aBootNotification({ firmwareVersion: 'v1\u0000' }), 'nul-1');
    const after = await rawCall(sock, 'Heartbeat', {});
    await sock.close();

    expect([big.slice(0, 3), nul.slice(0, 3)]).to.deep.equal([[4, 'big-1', 'PropertyConstraintViolation'], [4, 'nul-1', 'PropertyConstraintViolation']]);
    expect(after[0]).to.equal(3);
    expect((await t.db('charge_points').where({ id }).first()).firmware_version).to.equal('1.0.0');
  });

  it('should ignore a CALLRESULT for an unknown message id without answering', async () => {
    const { sock } = await bootedSocket();

    sock.send([3, 'never-sent', {}]);
    const after = await rawCall(sock, 'Heartbeat', {}, 'hb-after');
    await sock.close();

    expect(after[1]).to.equal('hb-after');
    expect(sock.buffered).to.deep.equal([]);
  });
});

// Admin API resources: chargers (register, attach, live state), locations, tokens, sessions.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aBootedChargerAtEvse } from '../../fixtures/booted-charger.ts';
import { connectCharger } from '../../helpers/charger.ts';
import { nextEvent } from '../../helpers/wait.ts';
import { aChargerId, aLocation, aLocationId, aRegisteredCharger, aStartTransaction, aStatusNotification, aStopTransaction, aToken, anEnergyReading, anEvseUid, anIdTag, CHARGER_PASSWORD } from '../../fixtures/chargers.ts';

describe('e2e admin API resources', () => {
  const t = useTestApp();

  describe('chargers', () => {
    it('should register a charger with a hashed password and never return the hash', async () => {
      const id = aChargerId('api');

      const res = await t.api('POST', '/api/v1/chargers', { id, password: 'a-good-password' });

      expect(res.status).to.equal(201);
      expect([res.body.id, res.body.registrationStatus, res.body.hasPassword]).to.deep.equal([id, 'Accepted', true]);
      expect(JSON.stringify(res.body)).not.to.match(/scrypt|a-good-password/);
      expect((await t.db('charge_points').where({ id }).first()).password_hash).to.match(/^scrypt\$/);
    });

    it('should refuse a duplicate charger with 409', async () => {
      const id = await aRegisteredCharger(t.app.services);

      const res = await t.api('POST', '/api/v1/chargers', { id, password: 'a-good-password' });

      expect(res.status).to.equal(409);
    });

    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a missing id', { password: 'a-good-password' }, /^id: /],
      ['an id with a slash', { id: 'CP/1', password: 'a-good-password' }, /^id: /],
      ['a short password', { id: 'CP-short-pw', password: 'short' }, /^password: /],
      ['a password that is not a string', { id: 'CP-num-pw', password: 12345678 }, /^password: /],
      ['an EVSE without a location', { id: 'CP-evse-only', password: 'a-good-password', evseUid: 'E1' }, /^evse: /],
    ];
    for (const [what, body, field] of bad) {
      it(`should refuse ${what} with 400 naming the field`, async () => {
        const res = await t.api('POST', '/api/v1/chargers', body);

        expect(res.status).to.equal(400);
        expect(res.body.error.message).to.match(field);
      });
    }

    it('should register a charger at a location and EVSE, and attach another later', async () => {
      // Arrange
      const locationId = await aLocation(t.app.services);
      const evseA = anEvseUid();
      const evseB = anEvseUid();
      const second = await aRegisteredCharger(t.app.services);

      // Act
      const first = await t.api('POST', '/api/v1/chargers', { id: aChargerId('api'), password: 'a-good-password', locationId, evseUid: evseA });
      const attached = await t.api('PUT', `/api/v1/chargers/${second}/location`, { locationId, evseUid: evseB });
      const location = await t.api('GET', `/api/v1/locations/${locationId}`);

      // Assert
      expect([first.status, first.body.locationId]).to.deep.equal([201, locationId]);
      expect([attached.status, attached.body.locationId]).to.deep.equal([200, locationId]);
      expect(location.body.evses.map((e: any) => [e.uid, e.chargePointId])).to.deep.equal([
        [evseA, first.body.id],
        [evseB, second],
      ]);
    });

    it('should answer 404 for an unknown charger or location', async () => {
      const id = await aRegisteredCharger(t.app.services);

      const unknownCharger = await t.api('GET', '/api/v1/chargers/CP-nope-404');
      const unknownLocation = await t.api('PUT', `/api/v1/chargers/${id}/location`, { locationId: aLocationId(), evseUid: anEvseUid() });

      expect([unknownCharger.status, unknownLocation.status]).to.deep.equal([404, 404]);
    });

    it('should list chargers with their live connection state and connector status', async () => {
      // Arrange
      const { id, client, locationId } = await aBootedChargerAtEvse(t, { boot: { chargePointVendor: 'ABB', chargePointModel: 'Terra' } });
      await client.call('StatusNotification', aStatusNotification({ connectorId: 1, status: 'Available' }));
      await client.call('StatusNotification', aStatusNotification({ connectorId: 2, status: 'Faulted', errorCode: 'OverCurrentFailure' }));

      // Act
      const list = await t.api('GET', `/api/v1/chargers?locationId=${locationId}`);
      const one = await t.api('GET', `/api/v1/chargers/${id}`);
      const faults = await t.api('GET', `/api/v1/faults?chargePointId=${id}&open=true`);
      const disconnected = nextEvent(t.app.events, 'charger.disconnected', (e) => e.chargePointId === id);
      await client.close();
      await disconnected;
      const afterClose = await t.api('GET', `/api/v1/chargers/${id}`);

      // Assert
      expect(list.body.data.map((c: any) => [c.id, c.isConnected, c.vendor, c.connectors.map((k: any) => [k.connectorNumber, k.ocppStatus, k.errorCode])])).to.deep.equal([
        [id, true, 'ABB', [[1, 'Available', 'NoError'], [2, 'Faulted', 'OverCurrentFailure']]],
      ]);
      expect(one.body.connectors).to.have.length(2);
      expect(faults.body.data.map((f: any) => f.errorCode)).to.deep.equal(['OverCurrentFailure']);
      expect(afterClose.body.isConnected).to.equal(false);
    });

    it('should show a charger\'s status history newest first', async () => {
      const id = await aRegisteredCharger(t.app.services);
      const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
      await client.call('StatusNotification', aStatusNotification({ status: 'Available', timestamp: '2026-03-01T10:00:00Z' }));
      await client.call('StatusNotification', aStatusNotification({ status: 'Preparing', timestamp: '2026-03-01T10:05:00Z' }));
      await client.close();

      const res = await t.api('GET', `/api/v1/chargers/${id}/status-history`);

      expect(res.body.data.map((h: any) => h.status)).to.deep.equal(['Preparing', 'Available']);
    });
  });

  describe('locations', () => {
    it('should refuse a location with bad coordinates with 400 naming the field', async () => {
      const res = await t.api('POST', '/api/v1/locations', { id: aLocationId(), address: 'A 1', city: 'B', country: 'NLD', latitude: '52.1', longitude: '5.12345', timeZone: 'Europe/Amsterdam' });

      expect(res.status).to.equal(400);
      expect(res.body.error.message).to.match(/^latitude: /);
    });
  });

  describe('tokens', () => {
    it('should add, list by group and block a token', async () => {
      // Arrange
      const uid = anIdTag();
      const group = `G-${uid}`;

      // Act
      const created = await t.api('POST', '/api/v1/tokens', { uid, groupId: group });
      const listed = await t.api('GET', `/api/v1/tokens?groupId=${group}`);
      const blocked = await t.api('PATCH', `/api/v1/tokens/${created.body.id}`, { valid: false });
      const decision = await t.app.services.authorize.authorize(uid);

      // Assert
      expect([created.status, created.body.uid, created.body.groupId, created.body.type, created.body.valid]).to.deep.equal([201, uid, group, 'RFID', true]);
      expect(listed.body.data.map((x: any) => x.uid)).to.deep.equal([uid]);
      expect(blocked.status).to.equal(204);
      expect(decision.info.status).to.equal('Blocked');
    });

    it('should refuse a duplicate token with 409', async () => {
      const uid = await aToken(t.app.services);

      expect((await t.api('POST', '/api/v1/tokens', { uid })).status).to.equal(409);
    });

    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a uid longer than an OCPP idTag', { uid: 'X'.repeat(21) }, /^uid: /],
      ['an unknown type', { uid: 'TYPE-BAD', type: 'CARD' }, /^type: /],
      ['an unknown whitelist', { uid: 'WL-BAD', whitelist: 'SOMETIMES' }, /^whitelist: /],
      ['a bad expiry date', { uid: 'EXP-BAD', expiryDate: 'tomorrow' }, /^expiryDate: /],
    ];
    for (const [what, body, field] of bad) {
      it(`should refuse ${what} with 400 naming the field`, async () => {
        const res = await t.api('POST', '/api/v1/tokens', body);

        expect(res.status).to.equal(400);
        expect(res.body.error.message).to.match(field);
      });
    }

    it('should answer 404 when changing an unknown token and 400 for a bad body', async () => {
      const unknown = await t.api('PATCH', '/api/v1/tokens/99999999', { valid: true });
      const badBody = await t.api('PATCH', '/api/v1/tokens/1', { valid: 'yes' });
      const huge = await t.api('PATCH', '/api/v1/tokens/99999999999', { valid: true });

      expect(unknown.status).to.equal(404);
      expect([huge.status, huge.body.error?.message]).to.deep.equal([400, 'id: must be an integer from 1 to 2147483647']);
      expect([badBody.status, badBody.body.error.message]).to.deep.equal([400, 'valid: required boolean']);
    });
  });

  describe('sessions', () => {
    it('should list sessions with their energy and show one with its meter values', async () => {
      // Arrange
      const id = await aRegisteredCharger(t.app.services);
      const idTag = await aToken(t.app.services);
      const client = await connectCharger(t, id, { password: CHARGER_PASSWORD });
      const { transactionId } = (await client.call('StartTransaction', aStartTransaction(idTag, { meterStart: 1_000 }))) as { transactionId: number };
      await client.call('MeterValues', anEnergyReading(transactionId, '4.5', { unit: 'kWh' }));
      const active = await t.api('GET', `/api/v1/sessions?chargePointId=${id}&status=ACTIVE`);
      await client.call('StopTransaction', aStopTransaction(transactionId, { meterStop: 5_001 }));
      await client.close();

      // Act
      const completed = await t.api('GET', `/api/v1/sessions?chargePointId=${id}&status=COMPLETED`);
      const one = await t.api('GET', `/api/v1/sessions/${transactionId}`);

      // Assert
      expect(active.body.data.map((s: any) => [s.id, s.energyWh, s.kwh])).to.deep.equal([[transactionId, 3500, '3.500']]);
      expect(completed.body.data.map((s: any) => [s.id, s.energyWh, s.kwh])).to.deep.equal([[transactionId, 4001, '4.001']]);
      expect(one.body.meterValues.map((m: any) => [m.measurand, m.unit, m.value])).to.deep.equal([['Energy.Active.Import.Register', 'kWh', '4.5']]);
    });

    it('should answer 400 for a bad session id or status and 404 for an unknown session', async () => {
      const badId = await t.api('GET', '/api/v1/sessions/abc');
      const badStatus = await t.api('GET', '/api/v1/sessions?status=DONE');
      const unknown = await t.api('GET', '/api/v1/sessions/99999999');
      const huge = await t.api('GET', '/api/v1/sessions/99999999999');

      expect([badId.status, badStatus.status, unknown.status, huge.status]).to.deep.equal([400, 400, 404, 400]);
      expect(badId.body.error.message).to.match(/^id: /);
      expect(badStatus.body.error.message).to.match(/^status: /);
    });
  });
});

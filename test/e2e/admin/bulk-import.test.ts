// Bulk onboarding through the admin API (issue 8): POST /api/v1/chargers/bulk and /tokens/bulk take
// thousands of rows in one request, check every row first, and apply all of them or none.
import { expect } from 'chai';
import { scryptPasswords, verifyGeneratedSecret } from '../../../src/shared/password.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { TEST_OPERATOR } from '../../helpers/db.ts';
import { aChargerId, aLocation, aRegisteredCharger, anEvseUid, anIdTag, aToken } from '../../fixtures/chargers.ts';
import { aRegisteredPartner, anEmspEndpoints } from '../../fixtures/partners.ts';

const DC = { standard: 'IEC_62196_T2_COMBO', format: 'CABLE', powerType: 'DC', maxVoltage: 920, maxAmperage: 125, maxElectricPower: 50000 };

describe('e2e admin API bulk import (POST /chargers/bulk, /tokens/bulk)', () => {
  const t = useTestApp();
  const chargersNamed = async (ids: string[]) => (await t.db('charge_points').whereIn('id', ids).orderBy('id')).map((r) => r.id);

  describe('chargers', () => {
    it('should create every charger with its password, given or generated and returned once, on its location and EVSE with its connectors', async () => {
      // Arrange
      const locationId = await aLocation(t.app.services);
      const [a, b, c] = [aChargerId('bulk'), aChargerId('bulk'), aChargerId('bulk')];
      const [evseA, evseB] = [anEvseUid(), anEvseUid()];
      // Act
      const res = await t.api('POST', '/api/v1/chargers/bulk', [
        { id: a, password: 'given-password-1', locationId, evseUid: evseA, connectors: [{ connectorId: 1, ...DC }, { connectorId: 2, ...DC, powerType: 'AC_3_PHASE', standard: 'IEC_62196_T2' }] },
        { id: b, locationId, evseUid: evseB },
        { id: c },
      ]);
      // Assert
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ applied: true, created: 3, existing: 0, failed: 0 });
      expect(res.body.results.map((r: any) => [r.row, r.id, r.status, typeof r.password])).to.deep.equal([[0, a, 'created', 'undefined'], [1, b, 'created', 'string'], [2, c, 'created', 'string']]);
      const stored = await t.db('charge_points').whereIn('id', [a, b]).orderBy('id');
      expect(await scryptPasswords.verify('given-password-1', stored.find((r) => r.id === a).password_hash)).to.equal(true);
      expect(verifyGeneratedSecret(res.body.results[1].password, stored.find((r) => r.id === b).password_hash)).to.equal(true);
      const connectors = (await t.api('GET', `/api/v1/chargers/${a}`)).body.connectors;
      expect(connectors.map((x: any) => [x.connectorNumber, x.evseUid, x.standard, x.powerType, x.maxElectricPower, x.specSource])).to.deep.equal([
        [1, evseA, 'IEC_62196_T2_COMBO', 'DC', 50000, 'operator'],
        [2, `${evseA}-2`, 'IEC_62196_T2', 'AC_3_PHASE', 50000, 'operator'],
      ]);
      expect((await t.api('GET', `/api/v1/chargers/${b}`)).body).to.include({ locationId, registrationStatus: 'Accepted' });
    });

    it('should apply nothing and name each bad row when any row is invalid', async () => {
      // Arrange
      const good = aChargerId('bulk');
      const rows = [{ id: good, password: 'good-password' }, { id: 'bad id with spaces' }, { id: aChargerId('bulk'), password: 'short' }, { id: good }, { id: aChargerId('bulk'), connectors: [{ connectorId: 1, standard: 'TYPE_2' }] }];
      // Act
      const res = await t.api('POST', '/api/v1/chargers/bulk', rows);
      // Assert
      expect(res.status).to.equal(422);
      expect(res.body).to.include({ applied: false, created: 0, failed: 4 });
      expect(res.body.error.code).to.equal('INVALID_INPUT');
      expect(res.body.results.map((r: any) => r.status)).to.deep.equal(['not applied', 'failed', 'failed', 'failed', 'failed']);
      expect(res.body.results[1].error).to.match(/^id: must be 1-48 characters/);
      expect(res.body.results[2].error).to.match(/^password: must be 8-40 characters/);
      expect(res.body.results[3].error).to.equal(`id: charger ${good} is in row 0 too`);
      expect(res.body.results[4].error).to.match(/^standard: must be one of/);
      expect(await chargersNamed([good])).to.deep.equal([]);
    });

    it('should refuse a row naming a location that does not exist, applying nothing', async () => {
      const id = aChargerId('bulk');

      const res = await t.api('POST', '/api/v1/chargers/bulk', [{ id: aChargerId('bulk') }, { id, locationId: 'LOC-none', evseUid: anEvseUid() }]);

      expect(res.status).to.equal(422);
      expect(res.body.results[1]).to.deep.include({ status: 'failed', error: 'locationId: location LOC-none not found' });
      expect(await t.db('charge_points').where({ id }).first()).to.equal(undefined);
    });

    it('should refuse the whole import when a charger exists already, unless asked to skip it', async () => {
      // Arrange
      const existing = await aRegisteredCharger(t.app.services);
      const fresh = aChargerId('bulk');
      const rows = [{ id: fresh, password: 'fresh-password' }, { id: existing, password: 'other-password' }];
      // Act
      const refused = await t.api('POST', '/api/v1/chargers/bulk', rows);
      const skipped = await t.api('POST', '/api/v1/chargers/bulk?onExisting=skip', rows);
      // Assert
      expect(refused.status).to.equal(409);
      expect(refused.body.results[1]).to.deep.include({ status: 'failed', error: `id: charger ${existing} already exists` });
      expect(skipped.status).to.equal(200);
      expect(skipped.body).to.include({ created: 1, existing: 1 });
      expect(skipped.body.results.map((r: any) => r.status)).to.deep.equal(['created', 'existing']);
      const stored = await t.db('charge_points').where({ id: existing }).first();
      expect(await scryptPasswords.verify('other-password', stored.password_hash)).to.equal(false);
    });

    it('OCPI 2.2.1 locations §8.3.2: should refuse an EVSE holding another charger\'s connectors, applying none of the rows', async () => {
      // Arrange
      const locationId = await aLocation(t.app.services);
      const taken = anEvseUid();
      await aRegisteredCharger(t.app.services, { locationId, evseUid: taken });
      await t.app.services.connectors.configure((await t.db('evses').where({ uid: taken }).first()).charge_point_id, 1, { spec: {} });
      const first = aChargerId('bulk');
      // Act
      const res = await t.api('POST', '/api/v1/chargers/bulk', [{ id: first, locationId, evseUid: anEvseUid() }, { id: aChargerId('bulk'), locationId, evseUid: taken }]);
      // Assert
      expect(res.status).to.equal(409);
      expect(res.body.results[1].error).to.match(new RegExp(`^evse: EVSE ${taken} holds connectors of charger`));
      expect(await chargersNamed([first])).to.deep.equal([]);
    });

    it('OCPI 2.2.1 locations §8.2.2: should queue one Location push per location however many chargers it gains', async () => {
      // Arrange
      const emsp = await aRegisteredPartner(t.db, { endpoints: anEmspEndpoints('https://bulk.emsp.test/ocpi/2.2.1', ['locations']) });
      const locationId = await aLocation(t.app.services);
      const pushes = () => t.db('ocpi_outbox').where({ partner_fk: emsp.partner.id, method: 'PUT', path: `/${TEST_OPERATOR.countryCode}/${TEST_OPERATOR.partyId}/${locationId}` }).count<{ count: string }[]>('* as count');
      const before = Number((await pushes())[0].count);
      const rows = Array.from({ length: 5 }, () => ({ id: aChargerId('bulk'), locationId, evseUid: anEvseUid(), connectors: [{ connectorId: 1 }] }));
      // Act
      const res = await t.api('POST', '/api/v1/chargers/bulk', rows);
      // Assert
      expect(res.status).to.equal(200);
      expect(Number((await pushes())[0].count) - before).to.equal(1);
    });

    it('should answer 400 for a body that is not an array of rows', async () => {
      const res = await t.api('POST', '/api/v1/chargers/bulk', { id: aChargerId() });

      expect(res.status).to.equal(400);
      expect(res.body.error.message).to.equal('body: must be a JSON array of rows');
    });
  });

  describe('tokens', () => {
    it('should create every token under the operator\'s party', async () => {
      // Arrange
      const [a, b] = [anIdTag(), anIdTag()];
      // Act
      const res = await t.api('POST', '/api/v1/tokens/bulk', [{ uid: a }, { uid: b, type: 'APP_USER', groupId: 'FLEET', contractId: 'NL-CPM-C00000001', whitelist: 'ALWAYS' }]);
      // Assert
      expect(res.status).to.equal(200);
      expect(res.body.results.map((r: any) => [r.id, r.status])).to.deep.equal([[a, 'created'], [b, 'created']]);
      const stored = await t.db('id_tokens').where({ uid: b }).first();
      expect(stored).to.include({ country_code: TEST_OPERATOR.countryCode, party_id: TEST_OPERATOR.partyId, type: 'APP_USER', group_id: 'FLEET', contract_id: 'NL-CPM-C00000001', whitelist: 'ALWAYS', partner_fk: null });
    });

    it('should take 10,000 rows in one request of more than the 1 MB other requests may have', async () => {
      // Arrange
      const prefix = anIdTag().slice(0, 10);
      const rows = Array.from({ length: 10_000 }, (_, i) => ({ uid: `${prefix}${i}`, visualNumber: `${'V'.repeat(56)}${String(i).padStart(8, '0')}`, contractId: `NL-CPM-C${String(i).padStart(28, '0')}` }));
      expect(JSON.stringify(rows).length).to.be.greaterThan(1_500_000);
      // Act
      const res = await t.api('POST', '/api/v1/tokens/bulk', rows);
      // Assert
      expect([res.status, res.body.created]).to.deep.equal([200, 10_000]);
      expect(await t.db('id_tokens').where('uid', 'like', `${prefix}%`).count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '10000' }]);
    });

    it('should apply nothing when a row is invalid or repeats another', async () => {
      const good = anIdTag();

      const res = await t.api('POST', '/api/v1/tokens/bulk', [{ uid: good }, { uid: good }, { uid: anIdTag(), whitelist: 'SOMETIMES' }, { uid: anIdTag(), colour: 'red' }]);

      expect(res.status).to.equal(422);
      expect(res.body.results.map((r: any) => r.error ?? r.status)).to.deep.equal(['not applied', `uid: token ${good} (RFID) is in row 0 too`, 'whitelist: must be one of ALWAYS, ALLOWED, ALLOWED_OFFLINE, NEVER', 'colour: unknown field (allowed: uid, type, groupId, contractId, visualNumber, whitelist, expiryDate)']);
      expect(await t.db('id_tokens').where({ uid: good }).first()).to.equal(undefined);
    });

    it('should refuse the whole import when a token exists already, unless asked to skip it', async () => {
      // Arrange
      const existing = await aToken(t.app.services);
      const fresh = anIdTag();
      // Act
      const refused = await t.api('POST', '/api/v1/tokens/bulk', [{ uid: fresh }, { uid: existing }]);
      const skipped = await t.api('POST', '/api/v1/tokens/bulk?onExisting=skip', [{ uid: fresh }, { uid: existing }]);
      // Assert
      expect(refused.status).to.equal(409);
      expect(refused.body.results.map((r: any) => r.status)).to.deep.equal(['not applied', 'failed']);
      expect(skipped.status).to.equal(200);
      expect(skipped.body.results.map((r: any) => r.status)).to.deep.equal(['created', 'existing']);
      expect(await t.db('id_tokens').where({ uid: fresh }).count<{ count: string }[]>('* as count')).to.deep.equal([{ count: '1' }]);
    });
  });
});

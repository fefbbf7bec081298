// TariffService on a real database: OCPI 2.2.1 tariffs stored exactly, validated, pushed to the eMSP
// tariffs RECEIVERs that may see them through the outbox in the same transaction, and assigned to the
// charging network.
import { expect } from 'chai';
import { createApp, type App } from '../../../src/app.ts';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { insertParty } from '../../../src/parties/party.repo.ts';
import type { TariffService } from '../../../src/tariffs/tariff.service.ts';
import { createTestDb, type TestDb } from '../../helpers/db.ts';
import { testConfig } from '../../helpers/app.ts';
import { aRegisteredCharger, aLocation, anEvseUid } from '../../fixtures/chargers.ts';
import { anEmspEndpoints, aRegisteredPartner } from '../../fixtures/partners.ts';
import { loadExample } from '../../fixtures/tariffs.ts';

const T0 = new Date('2026-03-01T10:00:00Z');
let seq = 0;
const aTariffId = () => `T-${Date.now().toString(36)}-${++seq}`;
const body = (o: Record<string, unknown> = {}) => ({
  currency: 'EUR',
  elements: [{ price_components: [{ type: 'ENERGY', price: 0.25, vat: 21, step_size: 1 }] }],
  ...o,
});

describe('TariffService', () => {
  let t: TestDb;
  let app: App;
  let tariffs: TariffService;
  const clock = fixedClock(T0);

  before(async () => {
    t = await createTestDb();
    app = createApp({ config: testConfig(t), db: t.db, logger: createLogger('error'), clock });
    tariffs = app.services.tariffs;
  });
  after(async () => {
    await app.close();
    await t.destroy();
  });

  const outboxFor = (objectKey: string) => t.db('ocpi_outbox').where({ object_key: objectKey }).orderBy('id');

  describe('put', () => {
    it('§11.3.1: should store a tariff and return a strictly valid OCPI Tariff of the default party', async () => {
      const id = aTariffId();
      const { tariff, isNew } = await tariffs.put(id, body({ tariff_alt_url: 'https://cpo.example.com/tariffs', type: 'REGULAR' }));
      expect(isNew).to.equal(true);
      expect(validateOcpi('Tariff', tariff, { strict: true })).to.deep.equal({ ok: true });
      expect(tariff).to.include({ country_code: 'NL', party_id: 'CPM', id, currency: 'EUR', type: 'REGULAR', last_updated: '2026-03-01T10:00:00Z' });
      expect(await tariffs.get(id)).to.deep.equal(tariff);
    });

    it('should keep min_price / max_price exact as numeric (never binary floats)', async () => {
      const id = aTariffId();
      await tariffs.put(id, body({ min_price: { excl_vat: 0.1, incl_vat: 0.121 }, max_price: { excl_vat: 12345678.9012345 } }));
      const row = await t.db('tariffs').where({ id }).first();
      expect([row.min_price_excl_vat, row.min_price_incl_vat, row.max_price_excl_vat, row.max_price_incl_vat]).to.deep.equal(['0.1', '0.121', '12345678.9012345', null]);
      const tariff = await tariffs.get(id);
      expect(tariff.min_price).to.deep.equal({ excl_vat: 0.1, incl_vat: 0.121 });
      expect(tariff.max_price).to.deep.equal({ excl_vat: 12345678.9012345 });
    });

    it('should store every spec tariff example and give it back strictly valid', async () => {
      for (const file of ['tariff_4_complex.json', 'tariff_6_025kwh_start_max_price.json', 'tariff_2_alt_text.json', 'tariff_17_reservation_with_expire_fee.json']) {
        const example = loadExample<Record<string, unknown>>(file);
        const id = aTariffId();
        const { country_code: _cc, party_id: _pid, last_updated: _lu, ...rest } = example;
        const { tariff } = await tariffs.put(id, { ...rest, id });
        expect(validateOcpi('Tariff', tariff, { strict: true }), file).to.deep.equal({ ok: true });
        expect(tariff.elements, file).to.deep.equal(example.elements);
      }
    });

    it('should replace an existing tariff and move last_updated', async () => {
      const id = aTariffId();
      await tariffs.put(id, body());
      clock.advance(60_000);
      const { tariff, isNew } = await tariffs.put(id, body({ currency: 'CHF' }));
      expect(isNew).to.equal(false);
      expect(tariff.currency).to.equal('CHF');
      expect(tariff.last_updated).to.equal('2026-03-01T10:01:00Z');
    });

    const invalid: Array<{ name: string; body: unknown; field: string }> = [
      { name: 'a missing currency', body: { elements: body().elements }, field: 'currency' },
      { name: 'an unknown dimension', body: body({ elements: [{ price_components: [{ type: 'KWH', price: 1, step_size: 1 }] }] }), field: 'elements[0].price_components[0].type' },
      { name: 'no elements', body: body({ elements: [] }), field: 'elements' },
      { name: 'a bad restriction time', body: body({ elements: [{ price_components: [{ type: 'TIME', price: 1, step_size: 1 }], restrictions: { start_time: '25:00' } }] }), field: 'elements[0].restrictions.start_time' },
      { name: 'min_price above max_price', body: body({ min_price: { excl_vat: 5 }, max_price: { excl_vat: 2 } }), field: 'min_price.excl_vat' },
      { name: 'an id other than the URL id', body: body({ id: 'OTHER' }), field: 'id' },
      { name: 'a party that is not the operator\'s', body: body({ country_code: 'DE', party_id: 'XXX' }), field: 'party_id' },
    ];
    for (const c of invalid) {
      it(`should refuse ${c.name}, naming ${c.field}`, async () => {
        const err = await tariffs.put(aTariffId(), c.body).then(() => undefined, (e: Error) => e);
        expect(err?.name).to.equal('InvalidInput');
        expect(err?.message).to.contain(c.field);
      });
    }

    it('should store a tariff for another of the operator\'s parties and refuse moving it to a second one', async () => {
      await insertParty(t.db, { countryCode: 'BE', partyId: 'CP2', name: 'second party' });
      const id = aTariffId();
      const { tariff } = await tariffs.put(id, body({ country_code: 'BE', party_id: 'CP2' }));
      expect(tariff).to.include({ country_code: 'BE', party_id: 'CP2' });
      const err = await tariffs.put(id, body()).then(() => undefined, (e: Error) => e);
      expect(err?.name).to.equal('Conflict');
    });
  });

  describe('pushes to eMSPs', () => {
    it('§11.2.2 PUT/DELETE: should queue one push per eMSP with a tariffs RECEIVER once the tariff is assigned for everybody, in the same transaction', async () => {
      // Arrange
      const a = await aRegisteredPartner(t.db);
      const b = await aRegisteredPartner(t.db);
      const noTariffs = await aRegisteredPartner(t.db, { endpoints: anEmspEndpoints('https://x.test/ocpi/2.2.1', ['locations', 'sessions']) });
      const locationId = await aLocation(app.services);
      const id = aTariffId();
      // Act: an unassigned tariff is used for nobody, so shown to nobody
      await tariffs.put(id, body());
      const unassigned = await outboxFor(`tariff:${id}`);
      const rule = await tariffs.assign(id, { target: { locationId } });
      const { tariff } = await tariffs.put(id, body({ currency: 'CHF' }));
      await tariffs.unassign(id, rule.id);
      await tariffs.delete(id);
      // Assert
      expect(unassigned).to.deep.equal([]);
      const rows = await outboxFor(`tariff:${id}`);
      const forPartner = (p: number) => rows.filter((r) => r.partner_fk === p).map((r) => [r.method, r.path, r.module, r.role]);
      for (const p of [a.partner.id, b.partner.id]) {
        expect(forPartner(p)).to.deep.equal([['PUT', `/NL/CPM/${id}`, 'tariffs', 'RECEIVER'], ['PUT', `/NL/CPM/${id}`, 'tariffs', 'RECEIVER'], ['DELETE', `/NL/CPM/${id}`, 'tariffs', 'RECEIVER']]);
      }
      expect(forPartner(noTariffs.partner.id)).to.deep.equal([]);
      const put = rows.filter((r) => r.method === 'PUT').at(-1)!;
      expect(put.body).to.deep.equal(tariff);
      expect(validateOcpi('Tariff', put.body, { strict: true })).to.deep.equal({ ok: true });
      expect(put.from_party).to.deep.equal({ country_code: 'NL', party_id: 'CPM' });
    });

    it('should queue nothing when the tariff is refused', async () => {
      await aRegisteredPartner(t.db);
      const id = aTariffId();
      await tariffs.put(id, body({ currency: 'euro' })).catch(() => undefined);
      expect(await outboxFor(`tariff:${id}`)).to.have.length(0);
      expect(await t.db('tariffs').where({ id }).first()).to.equal(undefined);
    });
  });

  describe('assignment', () => {
    async function aSite() {
      const locationId = await aLocation(app.services);
      const evseUid = anEvseUid();
      const chargePointId = await aRegisteredCharger(app.services, { locationId, evseUid });
      // Connector 1 and 2 exist once the charger reports them; create them as StatusNotification would.
      for (const n of [1, 2]) await t.db('connectors').insert({ charge_point_id: chargePointId, connector_number: n, ocpi_id: String(n), evse_fk: t.db('evses').where({ uid: evseUid }).select('id') });
      return { locationId, evseUid, chargePointId };
    }
    const tariffIdsOf = async (chargePointId: string) =>
      (await t.db('connectors').where({ charge_point_id: chargePointId }).orderBy('connector_number')).map((c) => c.tariff_ids);

    it('locations §8.3.4: should set Connector.tariff_ids of every connector the rule covers, most specific first', async () => {
      const s = await aSite();
      const [loc, con] = [aTariffId(), aTariffId()];
      await tariffs.put(loc, body());
      await tariffs.put(con, body());
      const notified: string[] = [];
      tariffs.onConnectorTariffsChanged(async (_trx, locationId) => void notified.push(locationId));
      await tariffs.assign(loc, { target: { locationId: s.locationId } });
      expect(await tariffIdsOf(s.chargePointId)).to.deep.equal([[loc], [loc]]);
      expect(notified).to.deep.equal([s.locationId]); // once per location, not per connector
      const rule = await tariffs.assign(con, { target: { connector: { chargePointId: s.chargePointId, connectorNumber: 2 } } });
      expect(await tariffIdsOf(s.chargePointId)).to.deep.equal([[loc], [con]]);
      await tariffs.unassign(con, rule.id);
      expect(await tariffIdsOf(s.chargePointId)).to.deep.equal([[loc], [loc]]);
      expect(notified).to.deep.equal([s.locationId, s.locationId, s.locationId]);
    });

    it('should not show a party or group tariff in the default tariff_ids, but show it to that party', async () => {
      const s = await aSite();
      const { partner } = await aRegisteredPartner(t.db);
      const [def, forPartner, forGroup] = [aTariffId(), aTariffId(), aTariffId()];
      for (const id of [def, forPartner, forGroup]) await tariffs.put(id, body());
      await tariffs.assign(def, { target: { evseUid: s.evseUid } });
      await tariffs.assign(forPartner, { target: { evseUid: s.evseUid }, partner: { countryCode: partner.countryCode, partyId: partner.partyId } });
      await tariffs.assign(forGroup, { target: { evseUid: s.evseUid }, groupId: 'FLEET' });
      expect(await tariffIdsOf(s.chargePointId)).to.deep.equal([[def], [def]]);
      const connector = await t.db('connectors').where({ charge_point_id: s.chargePointId, connector_number: 1 }).first();
      expect(await tariffs.tariffIdsOfConnector(connector.id, { countryCode: partner.countryCode, partyId: partner.partyId })).to.deep.equal([forPartner]);
    });

    it('should refuse a duplicate rule, an unknown target, an unknown partner and deleting an assigned tariff', async () => {
      const s = await aSite();
      const id = aTariffId();
      await tariffs.put(id, body());
      await tariffs.assign(id, { target: { locationId: s.locationId } });
      const attempts = [
        () => tariffs.assign(id, { target: { locationId: s.locationId } }),
        () => tariffs.assign(id, { target: { evseUid: 'NOPE' } }),
        () => tariffs.assign(id, { target: { locationId: s.locationId }, partner: { countryCode: 'ZZ', partyId: 'ZZZ' } }),
        () => tariffs.assign('NO-SUCH-TARIFF', { target: { locationId: s.locationId } }),
        () => tariffs.delete(id),
      ];
      const errors: string[] = [];
      for (const attempt of attempts) errors.push(await attempt().then(() => 'ok', (e: Error) => e.name));
      expect(errors).to.deep.equal(['Conflict', 'NotFound', 'InvalidInput', 'NotFound', 'Conflict']);
      expect(await tariffs.get(id)).to.have.property('id', id);
    });
  });
});

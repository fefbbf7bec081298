// Admin API for tariffs (issue 4): PUT/GET/list/DELETE of OCPI 2.2.1 Tariffs, assignment rules, and
// POST /tariffs/price with the same engine as `cpms tariff price`.
import { expect } from 'chai';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aLocation, anEvseUid, aRegisteredCharger } from '../../fixtures/chargers.ts';
import { loadExample } from '../../fixtures/tariffs.ts';

let seq = 0;
const aTariffId = () => `A-${Date.now().toString(36)}-${++seq}`;
const body = { currency: 'EUR', elements: [{ price_components: [{ type: 'TIME', price: 2, vat: 10, step_size: 300 }] }] };

describe('e2e admin tariffs', () => {
  const t = useTestApp();

  it('should create with PUT (201), replace (200), read, list and delete (204) a tariff', async () => {
    const id = aTariffId();
    const created = await t.api('PUT', `/api/v1/tariffs/${id}`, body);
    expect(created.status).to.equal(201);
    // An OCPI Tariff plus the admin API's prices_include_vat (false: the default party quotes prices excl. VAT)
    const { prices_include_vat: inclVat, ...tariff } = created.body;
    expect(inclVat).to.equal(false);
    expect(validateOcpi('Tariff', tariff, { strict: true })).to.deep.equal({ ok: true });
    const replaced = await t.api('PUT', `/api/v1/tariffs/${id}`, { ...body, tariff_alt_url: 'https://cpo.example.com/t' });
    expect([replaced.status, replaced.body.tariff_alt_url]).to.deep.equal([200, 'https://cpo.example.com/t']);
    expect((await t.api('GET', `/api/v1/tariffs/${id}`)).body).to.deep.equal(replaced.body);
    const list = await t.api('GET', '/api/v1/tariffs?limit=500');
    expect(list.body.data.map((x: { id: string }) => x.id)).to.include(id);
    expect(list.body.total).to.be.at.least(1);
    expect((await t.api('DELETE', `/api/v1/tariffs/${id}`)).status).to.equal(204);
    expect((await t.api('GET', `/api/v1/tariffs/${id}`)).status).to.equal(404);
  });

  it('should answer 400 naming the field of an invalid tariff', async () => {
    const res = await t.api('PUT', `/api/v1/tariffs/${aTariffId()}`, { ...body, elements: [{ price_components: [{ type: 'TIME', price: '2', step_size: 300 }] }] });
    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.contain('elements[0].price_components[0].price');
  });

  it('should let a viewer read but not change tariffs', async () => {
    const { key } = await t.app.services.apiKeys.create('viewer', 'viewer');
    expect((await t.api('GET', '/api/v1/tariffs', undefined, { key })).status).to.equal(200);
    expect((await t.api('PUT', `/api/v1/tariffs/${aTariffId()}`, body, { key })).status).to.equal(403);
  });

  it('should assign a tariff to a connector, list and remove the rule, and refuse deleting it while assigned', async () => {
    // Arrange
    const locationId = await aLocation(t.app.services);
    const chargePointId = await aRegisteredCharger(t.app.services, { locationId, evseUid: anEvseUid() });
    await t.db('connectors').insert({ charge_point_id: chargePointId, connector_number: 1, ocpi_id: '1' });
    const id = aTariffId();
    await t.api('PUT', `/api/v1/tariffs/${id}`, body);
    // Act
    const rule = await t.api('POST', `/api/v1/tariffs/${id}/assignments`, { chargePointId, connectorNumber: 1, groupId: 'FLEET', priority: 2 });
    const blocked = await t.api('DELETE', `/api/v1/tariffs/${id}`);
    const listed = await t.api('GET', `/api/v1/tariffs/${id}/assignments`);
    const removed = await t.api('DELETE', `/api/v1/tariffs/${id}/assignments/${rule.body.id}`);
    // Assert
    expect(rule.status).to.equal(201);
    expect(rule.body).to.include({ tariffId: id, groupId: 'FLEET', priority: 2, partner: null });
    expect(blocked.status).to.equal(409);
    expect(listed.body.data.map((r: { id: number }) => r.id)).to.deep.equal([rule.body.id]);
    expect(removed.status).to.equal(204);
    expect((await t.api('DELETE', `/api/v1/tariffs/${id}`)).status).to.equal(204);
  });

  it('should answer 400 for an assignment without exactly one target and 404 for an unknown location', async () => {
    const id = aTariffId();
    await t.api('PUT', `/api/v1/tariffs/${id}`, body);
    const none = await t.api('POST', `/api/v1/tariffs/${id}/assignments`, { groupId: 'X' });
    const two = await t.api('POST', `/api/v1/tariffs/${id}/assignments`, { locationId: 'L', evseUid: 'E' });
    const unknown = await t.api('POST', `/api/v1/tariffs/${id}/assignments`, { locationId: 'NO-SUCH-LOCATION' });
    expect([none.status, two.status, unknown.status]).to.deep.equal([400, 400, 404]);
    expect(none.body.error.message).to.contain('target');
  });

  describe('POST /tariffs/price', () => {
    // SOURCE.md: TIME 1.973 h at 2.00/h, step_size 300 s, VAT 10 % -> 4.00 / 4.40
    const cdr = loadExample<Record<string, any>>('cdr_example.json');

    it('should price the spec example CDR as 4.00 / 4.40', async () => {
      const res = await t.api('POST', '/api/v1/tariffs/price', { tariff: cdr.tariffs[0], cdr: { ...cdr, total_cost: { excl_vat: 0 } } });
      expect(res.status).to.equal(200);
      expect(res.body.total_cost).to.deep.equal({ excl_vat: 4, incl_vat: 4.4 });
      expect(res.body.total_time_cost).to.deep.equal({ excl_vat: 4, incl_vat: 4.4 });
      expect(res.body.total_parking_cost).to.deep.equal({ excl_vat: 0, incl_vat: 0 });
    });

    it('should answer 400 naming the bad field', async () => {
      const badTariff = await t.api('POST', '/api/v1/tariffs/price', { tariff: { ...cdr.tariffs[0], currency: 'euro' }, cdr });
      const noCdr = await t.api('POST', '/api/v1/tariffs/price', { tariff: cdr.tariffs[0] });
      const notJson = await t.api('POST', '/api/v1/tariffs/price', undefined, { rawBody: '{ nope' });
      expect([badTariff.status, badTariff.body.error.message]).to.deep.equal([400, 'tariff.currency: must be an ISO 4217 code such as EUR']);
      expect([noCdr.status, noCdr.body.error.message]).to.deep.equal([400, 'cdr: must be an object']);
      expect(notJson.status).to.equal(400);
    });
  });
});

// Many parties, currencies and VAT rules (issue 9): own CPO parties in the Netherlands (EUR, 21 %, prices excl.
// VAT, Europe/Amsterdam), Switzerland (CHF, 8.1 %, prices quoted incl. VAT, Europe/Zurich) and the United States
// (USD, no VAT, America/New_York): their tariffs, CDR totals, statements in their own zone and analytics revenue
// per currency in local time.
import { expect } from 'chai';
import { buildCdr } from '../../../src/billing/cdr-builder.ts';
import { insertCdr } from '../../../src/billing/cdr.repo.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import type { Tariff } from '../../../src/tariffs/tariff.types.ts';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { aCdrSources } from '../../fixtures/billing.ts';

const PARTIES = {
  NL: { key: 'NL/CPM', settings: { name: 'Dutch CPO', currency: 'EUR', vatRate: 21, timeZone: 'Europe/Amsterdam' } },
  CH: { key: 'CH/CPZ', settings: { name: 'Swiss CPO', currency: 'CHF', vatRate: '8.1', pricesIncludeVat: true, timeZone: 'Europe/Zurich' } },
  US: { key: 'US/CPU', settings: { name: 'US CPO', currency: 'USD', vatRate: null, timeZone: 'America/New_York' } },
};
const energyOnly = (price: number) => ({ elements: [{ price_components: [{ type: 'ENERGY', price, step_size: 1 }] }] });

describe('e2e admin: own parties in several jurisdictions', () => {
  const clock = fixedClock(new Date('2026-03-05T12:00:00Z'));
  const t = useTestApp({ clock });

  async function aCdrOf(party: 'NL' | 'CH' | 'US', tariff: Tariff, createdAt: string) {
    const [countryCode, partyId] = PARTIES[party].key.split('/') as [string, string];
    const partyFk = (await t.db('parties').where({ country_code: countryCode, party_id: partyId }).first('id')).id;
    // cdr_location names no stored location: the report takes the party's time zone
    const sources = aCdrSources({ id: `J-${party}`, party: { countryCode, partyId }, tariff, now: new Date(createdAt), session: { uid: `S-J-${party}`, meterStopWh: 10_000 } });
    return insertCdr(t.db, { partyFk, sessionFk: null, partnerFk: null, body: buildCdr({ ...sources, location: { ...sources.location, id: `NOWHERE-${party}` } }), createdAt: new Date(createdAt) });
  }

  it('should create and list own parties with their currency, VAT rate and time zone, refusing bad settings', async () => {
    const nl = await t.api('PUT', '/api/v1/own-parties/NL/CPM', PARTIES.NL.settings);
    const ch = await t.api('PUT', '/api/v1/own-parties/ch/cpz', PARTIES.CH.settings);
    const us = await t.api('PUT', '/api/v1/own-parties/US/CPU', PARTIES.US.settings);
    const bad = await t.api('PUT', '/api/v1/own-parties/CH/CPZ', { ...PARTIES.CH.settings, timeZone: 'Europe/Bern' });
    const list = await t.api('GET', '/api/v1/own-parties');

    expect([nl.status, ch.status, us.status]).to.deep.equal([200, 201, 201]);
    expect(ch.body).to.include({ countryCode: 'CH', partyId: 'CPZ', currency: 'CHF', vatRate: '8.1', pricesIncludeVat: true, timeZone: 'Europe/Zurich', isDefault: false });
    expect([bad.status, bad.body.error.message]).to.deep.equal([400, 'timeZone: an IANA time zone such as Europe/Zurich']);
    expect(list.body.data.map((p: any) => [p.countryCode, p.currency, p.vatRate])).to.deep.equal([['NL', 'EUR', '21'], ['CH', 'CHF', '8.1'], ['US', 'USD', null]]);
    expect((await t.api('GET', '/api/v1/own-parties/US/CPU')).body).to.include({ name: 'US CPO', timeZone: 'America/New_York' });
    expect((await t.api('GET', '/api/v1/own-parties/DE/XXX')).status).to.equal(404);
  });

  it("OCPI 2.2.1 tariffs §11.4.4: should store each party's tariff in its currency with its VAT, excl. VAT", async () => {
    const nl = await t.api('PUT', '/api/v1/tariffs/T-NL', energyOnly(0.3));
    const ch = await t.api('PUT', '/api/v1/tariffs/T-CH', { country_code: 'CH', party_id: 'CPZ', ...energyOnly(0.5) });
    const us = await t.api('PUT', '/api/v1/tariffs/T-US', { country_code: 'US', party_id: 'CPU', ...energyOnly(0.45) });
    const wrong = await t.api('PUT', '/api/v1/tariffs/T-CH-EUR', { country_code: 'CH', party_id: 'CPZ', currency: 'EUR', ...energyOnly(0.5) });

    const component = (r: { body: Tariff }) => [r.body.currency, r.body.elements[0]!.price_components[0]];
    expect(component(nl)).to.deep.equal(['EUR', { type: 'ENERGY', price: 0.3, step_size: 1, vat: 21 }]);
    expect(component(ch)).to.deep.equal(['CHF', { type: 'ENERGY', price: 0.5, step_size: 1, vat: 8.1 }]); // as entered, incl. VAT
    expect(ch.body.prices_include_vat).to.equal(true);
    expect(component(us)).to.deep.equal(['USD', { type: 'ENERGY', price: 0.45, step_size: 1 }]);
    // What eMSPs and the pricing engine get: excl. VAT, 0.50 / 1.081
    const ocpi = await t.app.services.tariffs.get('T-CH');
    expect(ocpi.elements[0]!.price_components[0]).to.deep.equal({ type: 'ENERGY', price: 0.462535, step_size: 1, vat: 8.1 });
    expect([wrong.status, wrong.body.error.message]).to.deep.equal([400, 'currency: party CH/CPZ bills in CHF']);
  });

  it('cdrs §10.4.1: should total CDRs excl. and incl. VAT in each party currency, statements per party in its local day, revenue per currency', async () => {
    // Arrange: 10 kWh each; 2026-03-10 local in each zone, but 03-09 (Zurich) and 03-11 (New York) in UTC
    const tariff = (id: string) => t.app.services.tariffs.get(id); // the OCPI form, prices excl. VAT
    const nl = await aCdrOf('NL', await tariff('T-NL'), '2026-03-10T10:00:00Z');
    const ch = await aCdrOf('CH', await tariff('T-CH'), '2026-03-09T23:30:00Z');
    const us = await aCdrOf('US', await tariff('T-US'), '2026-03-11T03:00:00Z');

    // Act
    clock.set(new Date('2026-03-11T12:00:00Z'));
    await t.api('POST', '/api/v1/jobs/settlement/run');
    const statements = (await t.api('GET', '/api/v1/statements?granularity=DAILY')).body.data;
    const revenue = await t.api('GET', '/api/v1/analytics/revenue?from=2026-03-09T00:00:00Z&to=2026-03-12T00:00:00Z');

    // Assert: 10 × 0.30 + 21 %; 10 × 0.462535 = 4.62535 → 4.63, × 1.081 → 5.00; 10 × 0.45, no VAT
    expect([nl, ch, us].map((c) => [c.currency, c.totalCostExclVat, c.totalCostInclVat])).to.deep.equal([['EUR', '3', '3.63'], ['CHF', '4.63', '5'], ['USD', '4.5', '4.5']]);
    const view = (s: any) => [s.timeZone, s.periodStart, s.periodEnd, s.totals.map((x: any) => [x.currency, x.costExclVat, x.costInclVat])];
    expect(statements.map(view).sort()).to.deep.equal([
      ['America/New_York', '2026-03-10T04:00:00.000Z', '2026-03-11T04:00:00.000Z', [['USD', '4.5', '4.5']]],
      ['Europe/Amsterdam', '2026-03-09T23:00:00.000Z', '2026-03-10T23:00:00.000Z', [['EUR', '3', '3.63']]],
      ['Europe/Zurich', '2026-03-09T23:00:00.000Z', '2026-03-10T23:00:00.000Z', [['CHF', '4.63', '5']]],
    ]);
    expect(revenue.body.data.map((r: any) => [r.bucket, r.currency, r.revenueExclVat, r.revenueInclVat])).to.deep.equal([
      ['2026-03-10', 'CHF', '4.63', '5'], ['2026-03-10', 'EUR', '3', '3.63'], ['2026-03-10', 'USD', '4.5', '4.5'],
    ]);
  });

  it('should show a tariff quoted incl. VAT as entered, so that reading it and saving it back changes no price', async () => {
    const put = await t.api('PUT', '/api/v1/tariffs/T-CH-RT', { country_code: 'CH', party_id: 'CPZ', ...energyOnly(0.4) });
    const read = await t.api('GET', '/api/v1/tariffs/T-CH-RT');

    const saved = await t.api('PUT', '/api/v1/tariffs/T-CH-RT', read.body);

    expect([put.status, saved.status]).to.deep.equal([201, 200]);
    expect(read.body).to.deep.include({ prices_include_vat: true, elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, step_size: 1, vat: 8.1 }] }] });
    expect(saved.body.elements).to.deep.equal(read.body.elements);
    expect((await t.app.services.tariffs.get('T-CH-RT')).elements[0]!.price_components[0]!.price).to.equal(0.370028); // 0.40 / 1.081, once
    const list = await t.api('GET', '/api/v1/tariffs?limit=500');
    expect(list.body.data.find((x: any) => x.id === 'T-CH-RT').elements[0].price_components[0].price).to.equal(0.4);
  });

  it('should take prices excl. VAT for a party quoting incl. VAT when the body says so, and refuse incl. VAT without a rate', async () => {
    const excl = await t.api('PUT', '/api/v1/tariffs/T-CH-EX', { country_code: 'CH', party_id: 'CPZ', prices_include_vat: false, ...energyOnly(0.3) });
    const noRate = await t.api('PUT', '/api/v1/tariffs/T-US-IN', { country_code: 'US', party_id: 'CPU', prices_include_vat: true, ...energyOnly(0.3) });
    const badFlag = await t.api('PUT', '/api/v1/tariffs/T-CH-BAD', { country_code: 'CH', party_id: 'CPZ', prices_include_vat: 'yes', ...energyOnly(0.3) });

    expect(excl.body).to.deep.include({ prices_include_vat: false });
    expect((await t.app.services.tariffs.get('T-CH-EX')).elements[0]!.price_components[0]!.price).to.equal(0.3);
    expect([noRate.status, noRate.body.error.message]).to.deep.equal([400, 'prices_include_vat: party US/CPU has no VAT rate, its prices cannot include VAT']);
    expect([badFlag.status, badFlag.body.error.message]).to.deep.equal([400, 'prices_include_vat: a boolean']);
  });

  it('should preview the price of a tariff entered incl. VAT as its CDR will be priced', async () => {
    const tariff = (await t.api('GET', '/api/v1/tariffs/T-CH-RT')).body; // 0.40 incl. 8.1 %
    const cdr = { start_date_time: '2026-03-05T10:00:00Z', end_date_time: '2026-03-05T11:00:00Z', cdr_location: { time_zone: 'Europe/Zurich' }, charging_periods: [{ start_date_time: '2026-03-05T10:00:00Z', dimensions: [{ type: 'ENERGY', volume: 10 }] }] };

    const preview = await t.api('POST', '/api/v1/tariffs/price', { tariff, cdr });

    expect(preview.status, JSON.stringify(preview.body)).to.equal(200);
    expect(preview.body.total_cost).to.deep.equal({ excl_vat: 3.7, incl_vat: 4 }); // 10 × 0.370028 = 3.70; × 1.081 = 4.00
  });
});

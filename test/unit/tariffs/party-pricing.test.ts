// A tariff body completed with its party's jurisdiction (issue 9: many parties, currencies and VAT rules).
import { expect } from 'chai';
import { applyPartyPricing, priceExclVat, type PartyPricing } from '../../../src/tariffs/party-pricing.ts';

const NL: PartyPricing = { countryCode: 'NL', partyId: 'CPO', currency: 'EUR', vatRate: '21', pricesIncludeVat: false };
const CH: PartyPricing = { countryCode: 'CH', partyId: 'CPZ', currency: 'CHF', vatRate: '8.1', pricesIncludeVat: true };
const US: PartyPricing = { countryCode: 'US', partyId: 'CPU', currency: 'USD', vatRate: null, pricesIncludeVat: false };
const energy = (price: number, extra: Record<string, unknown> = {}) => ({ elements: [{ price_components: [{ type: 'ENERGY', price, step_size: 1, ...extra }] }] });

describe('tariffs: party pricing', () => {
  const cases: Array<{ name: string; inclVat: number; vat: number; exclVat: number }> = [
    { name: 'should divide by 1.21 for 21 %', inclVat: 0.363, vat: 21, exclVat: 0.3 },
    { name: 'should round half-up to 6 decimals (0.50 CHF incl. 8.1 %)', inclVat: 0.5, vat: 8.1, exclVat: 0.462535 },
    { name: 'should keep the price at 0 %', inclVat: 0.45, vat: 0, exclVat: 0.45 },
  ];
  for (const c of cases) it(c.name, () => expect(priceExclVat(c.inclVat, c.vat)).to.equal(c.exclVat));

  it("OCPI 2.2.1 tariffs §11.4.4: should give a component without vat the party's rate and the party's currency", () => {
    expect(applyPartyPricing(energy(0.3), NL)).to.deep.equal({ currency: 'EUR', ...energy(0.3, { vat: 21 }) });
  });

  it("should keep a component's own vat and convert prices quoted incl. VAT with it", () => {
    const out = applyPartyPricing({ currency: 'CHF', elements: [{ price_components: [{ type: 'ENERGY', price: 0.5, step_size: 1 }, { type: 'FLAT', price: 1.1, step_size: 1, vat: 10 }] }] }, CH);

    expect(out).to.deep.equal({ currency: 'CHF', elements: [{ price_components: [{ type: 'ENERGY', price: 0.462535, step_size: 1, vat: 8.1 }, { type: 'FLAT', price: 1, step_size: 1, vat: 10 }] }] });
  });

  it('should add no vat for a party where none applies', () => {
    expect(applyPartyPricing(energy(0.4), US)).to.deep.equal({ currency: 'USD', ...energy(0.4) });
  });

  it("should refuse a currency other than the party's, naming it", () => {
    expect(() => applyPartyPricing({ currency: 'EUR', ...energy(0.5) }, CH)).to.throw('currency: party CH/CPZ bills in CHF');
  });

  it('should leave the body as given for a party without settings', () => {
    const none: PartyPricing = { countryCode: 'NL', partyId: 'OLD', currency: null, vatRate: null, pricesIncludeVat: false };
    expect(applyPartyPricing({ currency: 'GBP', ...energy(0.2) }, none)).to.deep.equal({ currency: 'GBP', ...energy(0.2) });
  });
});

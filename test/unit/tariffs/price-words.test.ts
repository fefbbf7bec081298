import { expect } from 'chai';
import { formatMoney, priceInWords } from '../../../src/tariffs/price-words.ts';
import type { TariffElement } from '../../../src/tariffs/tariff.types.ts';

const tariff = (elements: TariffElement[], currency = 'EUR') => ({ currency, elements });

describe('tariffs/price-words', () => {
  const cases: { name: string; elements: TariffElement[]; currency?: string; locale?: string; want: string }[] = [
    {
      name: 'should say energy and parking after 2 h as in the issue',
      elements: [
        { price_components: [{ type: 'ENERGY', price: 0.35, step_size: 1 }] },
        { price_components: [{ type: 'PARKING_TIME', price: 2, step_size: 60 }], restrictions: { min_duration: 7200 } },
      ],
      want: '€0.35/kWh, €2.00/h after 2 h parking',
    },
    {
      name: 'should include VAT (OCPI 2.2.1 tariffs §11.4.2) and keep a 4-decimal unit price',
      elements: [{ price_components: [{ type: 'ENERGY', price: 0.35, vat: 21, step_size: 1 }] }],
      want: '€0.4235/kWh',
    },
    {
      name: 'should name a flat fee, charging time and a time window',
      elements: [
        { price_components: [{ type: 'FLAT', price: 0.5, step_size: 1 }] },
        { price_components: [{ type: 'TIME', price: 1.2, step_size: 60 }], restrictions: { start_time: '07:00', end_time: '19:00', day_of_week: ['MONDAY', 'FRIDAY'] } },
      ],
      want: '€0.50 per session, €1.20/h charging (07:00–19:00, Mon, Fri)',
    },
    { name: 'should call a tariff without priced components free', elements: [{ price_components: [{ type: 'ENERGY', price: 0, step_size: 1 }] }], want: 'free' },
    { name: 'should format in the currency and locale', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }], currency: 'EUR', locale: 'de-DE', want: '0,30\u00a0€/kWh' },
    { name: 'should say each distinct price once', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }, { price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }], want: '€0.30/kWh' },
  ];
  for (const c of cases) it(c.name, () => expect(priceInWords(tariff(c.elements, c.currency), c.locale)).to.equal(c.want));

  it('should add the minimum price', () => {
    expect(priceInWords({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }], min_price: { excl_vat: 1, incl_vat: 1.21 } })).to.equal('€0.30/kWh, at least €1.21');
  });

  it('should format amounts with the currency decimals', () => {
    expect([formatMoney(2, 'EUR'), formatMoney(1234.5, 'USD'), formatMoney(300, 'JPY')]).to.deep.equal(['€2.00', '$1,234.50', '¥300']);
  });
});

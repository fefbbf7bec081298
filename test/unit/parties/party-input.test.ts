// An own party's settings as the admin API takes them (PUT /own-parties/{countryCode}/{partyId}).
import { expect } from 'chai';
import { readPartyKey, readPartySettings } from '../../../src/parties/party-input.ts';

const zones = new Set(['Europe/Zurich', 'America/New_York']);
const isZone = (tz: string) => zones.has(tz);

describe('parties: settings input', () => {
  it('should read every setting, the VAT rate as a decimal string', () => {
    expect(readPartySettings({ name: 'Swiss CPO', currency: 'CHF', vatRate: 8.1, pricesIncludeVat: true, timeZone: 'Europe/Zurich' }, isZone))
      .to.deep.equal({ name: 'Swiss CPO', currency: 'CHF', vatRate: '8.1', pricesIncludeVat: true, timeZone: 'Europe/Zurich' });
  });

  it('should default to no currency, no VAT, prices excl. VAT and no time zone', () => {
    expect(readPartySettings({ name: 'US CPO', vatRate: null }, isZone)).to.deep.equal({ name: 'US CPO', currency: null, vatRate: null, pricesIncludeVat: false, timeZone: null });
  });

  const bad: Array<[string, unknown, string]> = [
    ['a body that is not an object', [], 'body'],
    ['a missing name', { currency: 'EUR' }, 'name'],
    ['a lower-case currency', { name: 'x', currency: 'eur' }, 'currency'],
    ['a VAT rate above 100', { name: 'x', vatRate: 101 }, 'vatRate'],
    ['a VAT rate with 5 decimals', { name: 'x', vatRate: '7.12345' }, 'vatRate'],
    ['an unknown time zone', { name: 'x', timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['prices incl. VAT without a VAT rate', { name: 'x', pricesIncludeVat: true }, 'pricesIncludeVat'],
  ];
  for (const [name, body, field] of bad) {
    it(`should refuse ${name}, naming ${field}`, () => expect(() => readPartySettings(body, isZone)).to.throw(field));
  }

  it('should upper-case the key and refuse a malformed one', () => {
    expect(readPartyKey('ch', 'cpz')).to.deep.equal({ countryCode: 'CH', partyId: 'CPZ' });
    expect(() => readPartyKey('CHE', 'CPZ')).to.throw('countryCode');
    expect(() => readPartyKey('CH', 'CP')).to.throw('partyId');
  });
});

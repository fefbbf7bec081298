// Which OCPI party a request comes from (transport §4.1.8): what a party may see is decided on it.
import { expect } from 'chai';
import { requestingParty } from '../../../src/ocpi/requesting-party.ts';
import type { Partner } from '../../../src/partners/partner.types.ts';

function aPartner(o: Partial<Partner> = {}): Partner {
  return {
    id: 1, countryCode: 'DE', partyId: 'ABC', role: 'EMSP', name: null, roles: [{ role: 'EMSP', country_code: 'DE', party_id: 'ABC', business_details: { name: 'x' } }],
    versionsUrl: null, version: '2.2.1', endpoints: [], status: 'REGISTERED', tokenEncoding: 'base64', registeredAt: null, createdAt: new Date(0), updatedAt: new Date(0), ...o,
  };
}
const hub = aPartner({ countryCode: 'NL', partyId: 'HUB', role: 'HUB', roles: [] });
const platform = aPartner({ roles: [{ role: 'EMSP', country_code: 'DE', party_id: 'ABC', business_details: { name: 'x' } }, { role: 'EMSP', country_code: 'BE', party_id: 'TWO', business_details: { name: 'y' } }] });

describe('unit ocpi requestingParty', () => {
  const cases: Array<{ name: string; partner: Partner; from?: { countryCode: string; partyId: string }; expected: { countryCode: string; partyId: string } }> = [
    { name: 'should be the partner itself without OCPI-from-*', partner: aPartner(), expected: { countryCode: 'DE', partyId: 'ABC' } },
    { name: 'should be the party a hub forwards for, upper-case', partner: hub, from: { countryCode: 'de', partyId: 'xyz' }, expected: { countryCode: 'DE', partyId: 'XYZ' } },
    { name: 'should be a party the platform declares in its credentials', partner: platform, from: { countryCode: 'BE', partyId: 'TWO' }, expected: { countryCode: 'BE', partyId: 'TWO' } },
    { name: 'should ignore another party named by a partner that is not a hub', partner: aPartner(), from: { countryCode: 'DE', partyId: 'OTH' }, expected: { countryCode: 'DE', partyId: 'ABC' } },
  ];
  for (const c of cases) it(c.name, () => expect(requestingParty({ partner: c.partner, fromParty: c.from })).to.deep.equal(c.expected));
});

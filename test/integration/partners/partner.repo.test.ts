// Partner queries other modules rely on: who receives pushes of a module, and who owns a party.
import { expect } from 'chai';
import { findPartnerByParty, listRegisteredPartnersWith, updatePartner } from '../../../src/partners/partner.repo.ts';
import { OUTGOING_TOKEN } from '../../../src/partners/partner.types.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';
import { aCredentialsRole, anEmspEndpoints, anInvitedPartner, aPartyId, aRegisteredPartner } from '../../fixtures/partners.ts';

describe('integration partners/partner.repo', () => {
  const tdb = useTestDb();

  it('should list only registered partners exposing the module with that interface role', async () => {
    const withLocations = await aRegisteredPartner(tdb.db);
    const withoutLocations = await aRegisteredPartner(tdb.db, { endpoints: anEmspEndpoints('https://x.test/ocpi/2.2.1', ['cdrs']) });
    const gone = await aRegisteredPartner(tdb.db);
    await updatePartner(tdb.db, gone.partner.id, { status: 'UNREGISTERED' });
    const ids = (await listRegisteredPartnersWith(tdb.db, 'locations', 'RECEIVER')).map((p) => p.id);
    expect(ids).to.include(withLocations.partner.id).and.not.include(withoutLocations.partner.id).and.not.include(gone.partner.id);
    expect(await listRegisteredPartnersWith(tdb.db, 'locations', 'SENDER')).to.deep.equal([]);
  });

  it('should find a partner by its own party or by any party declared in its roles, case-insensitively', async () => {
    const hubParty = aPartyId();
    const { partner } = await aRegisteredPartner(tdb.db);
    await updatePartner(tdb.db, partner.id, { roles: [...partner.roles, aCredentialsRole({ role: 'EMSP', country_code: 'FR', party_id: hubParty })] });
    expect((await findPartnerByParty(tdb.db, partner.countryCode.toLowerCase(), partner.partyId))?.id).to.equal(partner.id);
    expect((await findPartnerByParty(tdb.db, 'FR', hubParty))?.id).to.equal(partner.id);
    expect(await findPartnerByParty(tdb.db, 'FR', 'NOP')).to.equal(undefined);
  });

  it('should prefer the registered partner over a pending invitation of the same party', async () => {
    const partyId = aPartyId();
    await anInvitedPartner(tdb.db, { partyId });
    const { partner } = await aRegisteredPartner(tdb.db, { partyId });
    expect((await findPartnerByParty(tdb.db, 'DE', partyId))?.id).to.equal(partner.id);
  });

  it('should keep the outgoing token out of JSON', async () => {
    const { partner, outgoingToken } = await aRegisteredPartner(tdb.db);
    expect(partner[OUTGOING_TOKEN]).to.equal(outgoingToken);
    expect(JSON.stringify(partner)).not.to.include(outgoingToken);
  });
});

// Partner queries other modules rely on: who receives pushes of a module, and who owns a party.
import { expect } from 'chai';
import { abandonTokenUpdate, beginTokenUpdate, findPartner, findPartnerByParty, findPartnerByTokenHash, finishTokenUpdate, listRegisteredPartnersWith, updatePartner } from '../../../src/partners/partner.repo.ts';
import { OUTGOING_TOKEN } from '../../../src/partners/partner.types.ts';
import { hashSecret, newSecret } from '../../../src/shared/ids.ts';
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

  describe('credentials update we start (credentials §7.1.4)', () => {
    const idsOf = async (token: string) => {
      const found = await findPartnerByTokenHash(tdb.db, [hashSecret(token)]);
      return found && { id: found.partner.id, isTokenA: found.isTokenA };
    };

    it('should accept the offered token beside the current one while the update is under way', async () => {
      const { partner, token } = await aRegisteredPartner(tdb.db);
      const next = newSecret();
      expect((await beginTokenUpdate(tdb.db, partner.id, hashSecret(next)))?.id).to.equal(partner.id);
      expect(await idsOf(next)).to.deep.equal({ id: partner.id, isTokenA: false });
      expect(await idsOf(token)).to.deep.equal({ id: partner.id, isTokenA: false });
    });

    it('should replace the current token with the offered one on finish, and only the update that offered it', async () => {
      const { partner, token } = await aRegisteredPartner(tdb.db);
      const next = newSecret();
      await beginTokenUpdate(tdb.db, partner.id, hashSecret(next));
      expect(await finishTokenUpdate(tdb.db, partner.id, hashSecret(newSecret()), { tokenRemote: 'not-this' })).to.equal(undefined);
      const done = await finishTokenUpdate(tdb.db, partner.id, hashSecret(next), { tokenRemote: 'their-new-token', name: 'renamed' });
      expect([done?.name, done?.[OUTGOING_TOKEN]]).to.deep.equal(['renamed', 'their-new-token']);
      expect(await idsOf(next)).to.deep.equal({ id: partner.id, isTokenA: false });
      expect(await idsOf(token)).to.equal(undefined);
    });

    it('should forget the offered token on abandon and leave the row as it was', async () => {
      const { partner, token } = await aRegisteredPartner(tdb.db);
      const next = newSecret();
      await beginTokenUpdate(tdb.db, partner.id, hashSecret(next));
      await abandonTokenUpdate(tdb.db, partner.id, hashSecret(next));
      expect(await idsOf(next)).to.equal(undefined);
      expect(await idsOf(token)).to.deep.equal({ id: partner.id, isTokenA: false });
      expect(await findPartner(tdb.db, partner.id)).to.deep.equal(partner);
    });

    it('should refuse a second update while one is under way, and let one abandoned for 15 minutes be taken over', async () => {
      const { partner } = await aRegisteredPartner(tdb.db);
      const first = newSecret();
      await beginTokenUpdate(tdb.db, partner.id, hashSecret(first));
      expect(await beginTokenUpdate(tdb.db, partner.id, hashSecret(newSecret()))).to.equal(undefined);
      await tdb.db('ocpi_partners').where({ id: partner.id }).update({ token_next_at: tdb.db.raw("now() - interval '16 minutes'") });
      const second = newSecret();
      expect((await beginTokenUpdate(tdb.db, partner.id, hashSecret(second)))?.id).to.equal(partner.id);
      expect(await idsOf(first)).to.equal(undefined);
      expect(await finishTokenUpdate(tdb.db, partner.id, hashSecret(first), {})).to.equal(undefined);
    });

    it('should neither begin nor finish an update of a partner that is not registered', async () => {
      const { partner: invited } = await anInvitedPartner(tdb.db);
      expect(await beginTokenUpdate(tdb.db, invited.id, hashSecret(newSecret()))).to.equal(undefined);
      const { partner } = await aRegisteredPartner(tdb.db);
      const next = newSecret();
      await beginTokenUpdate(tdb.db, partner.id, hashSecret(next));
      await updatePartner(tdb.db, partner.id, { status: 'UNREGISTERED', tokenHash: null, tokenRemote: null, tokenNextHash: null });
      expect(await finishTokenUpdate(tdb.db, partner.id, hashSecret(next), { tokenRemote: 'x' })).to.equal(undefined);
      expect(await idsOf(next)).to.equal(undefined);
    });
  });
});

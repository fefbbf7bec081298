// The own party an OCPI request addresses is kept in memory per node for a few seconds (issue 8: one round
// trip less per OCPI request); a write to parties through this node is seen at once.
import { expect } from 'chai';
import type { Knex } from 'knex';
import { PartnerService } from '../../../src/partners/partner.service.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { TEST_OPERATOR } from '../../helpers/db.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';

/** Counts the statements that read parties until stopped. */
function countPartyReads(db: Knex): { readonly reads: number; stop(): void } {
  let reads = 0;
  const count = (q: { sql: string }) => {
    if (/from "parties"/.test(q.sql)) reads += 1;
  };
  db.on('query', count);
  return { get reads() { return reads; }, stop: () => db.off('query', count) };
}

describe('integration partners own-party memo', () => {
  const tdb = useTestDb();

  it('should see a change of the party made through this node at once, and read the database once while nothing changes', async () => {
    const clock = fixedClock(new Date('2026-06-01T00:00:00Z'));
    const partners = new PartnerService({ db: tdb.db, clock });
    const counter = countPartyReads(tdb.db);
    try {
      const first = await partners.findOwnParty();
      const again = await partners.findOwnParty({ countryCode: TEST_OPERATOR.countryCode.toLowerCase(), partyId: TEST_OPERATOR.partyId });
      const sameAgain = await partners.findOwnParty({ countryCode: TEST_OPERATOR.countryCode, partyId: TEST_OPERATOR.partyId });
      const readsBeforeChange = counter.reads;
      await tdb.db('parties').where({ is_default: true }).update({ name: 'renamed operator' });
      const afterChange = await partners.findOwnParty();

      expect([first?.name, again?.name, sameAgain?.name]).to.deep.equal([TEST_OPERATOR.name, TEST_OPERATOR.name, TEST_OPERATOR.name]);
      expect(readsBeforeChange).to.equal(2); // the default party, and the party by its codes (case-insensitive key)
      expect(afterChange?.name).to.equal('renamed operator');
    } finally {
      counter.stop();
    }
  });

  it('should read the party again once its few seconds are over, and remember an unknown party as unknown meanwhile', async () => {
    const clock = fixedClock(new Date('2026-06-01T00:00:00Z'));
    const partners = new PartnerService({ db: tdb.db, clock });
    const counter = countPartyReads(tdb.db);
    try {
      const unknown = [await partners.findOwnParty({ countryCode: 'XX', partyId: 'NOP' }), await partners.findOwnParty({ countryCode: 'XX', partyId: 'NOP' })];
      clock.advance(5_001);
      await partners.findOwnParty({ countryCode: 'XX', partyId: 'NOP' });

      expect(unknown).to.deep.equal([undefined, undefined]);
      expect(counter.reads).to.equal(2);
    } finally {
      counter.stop();
    }
  });
});

// The parties (country code + party id) this platform operates as. Other domains read them here, inside
// their own transaction when they pass one as `db`; parties.repo stays private to this folder.
import type { Db } from '../db/knex.ts';
import * as repo from './party.repo.ts';
import type { Party } from './party.repo.ts';

/** The operator's default party; NotFound when none is configured. */
export async function getDefaultParty(db: Db): Promise<Party> {
  return repo.getDefaultParty(db);
}

/** One of our parties, matched case-insensitively. */
export async function findParty(db: Db, countryCode: string, partyId: string): Promise<Party | undefined> {
  return repo.findParty(db, countryCode, partyId);
}

export async function listParties(db: Db): Promise<Party[]> {
  return repo.listParties(db);
}

// The parties (country code + party id) this platform operates as. Other domains read them here, inside
// their own transaction when they pass one as `db`; parties.repo stays private to this folder.
import type { Db } from '../db/knex.ts';
import { NotFound } from '../shared/errors.ts';
import { isValidTimeZone } from '../tariffs/timezone.ts';
import { readPartyKey, readPartySettings } from './party-input.ts';
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

/** One of our parties by country code and party id; NotFound when it is not ours. */
export async function getParty(db: Db, countryCode: string, partyId: string): Promise<Party> {
  const party = await repo.findParty(db, countryCode, partyId);
  if (!party) throw new NotFound(`party ${countryCode}/${partyId} is not one of the operator's parties`);
  return party;
}

/** One of our parties by its row id; NotFound when there is none. */
export async function getPartyById(db: Db, id: number): Promise<Party> {
  const party = await repo.findPartyById(db, id);
  if (!party) throw new NotFound(`party ${id} not found`);
  return party;
}

export async function listParties(db: Db): Promise<Party[]> {
  return repo.listParties(db);
}

/** Admin API: creates own party `countryCode`/`partyId` or replaces its settings (name, currency, VAT, time zone). */
export async function putParty(db: Db, countryCode: string, partyId: string, body: unknown): Promise<{ party: Party; isNew: boolean }> {
  const key = readPartyKey(countryCode, partyId);
  const settings = readPartySettings(body, isValidTimeZone);
  const isNew = (await repo.findParty(db, key.countryCode, key.partyId)) === undefined;
  return { party: await repo.upsertPartySettings(db, key, settings), isNew };
}

import type { Knex } from 'knex';
import { getDefaultParty } from '../parties/party.service.ts';
import { appliedOutcome, BulkRejected, rejectedOutcome, type BulkOutcome, type OnExisting } from '../shared/bulk.ts';
import * as repo from './token.repo.ts';
import { readLocalToken, readLocalTokenRows, type LocalToken, type LocalTokenInput } from './local-token.ts';
import type { IdToken } from './token.types.ts';

export type { LocalTokenInput } from './local-token.ts';

const keyOf = (t: { uid: string; type: string }): string => `${t.type}/${t.uid}`;

/** The operator's own tokens (RFID cards, app users) issued under its default party. */
export class TokenService {
  constructor(private readonly o: { db: Knex }) {}

  async addLocal(input: LocalTokenInput): Promise<IdToken> {
    const token = readLocalToken(input);
    const party = await getDefaultParty(this.o.db);
    return repo.insertToken(this.o.db, { ...token, countryCode: party.countryCode, partyId: party.partyId, issuer: party.name });
  }

  /**
   * Bulk import (issue 8): every row is checked first, a bad one leaves everything as it was; then all
   * tokens are inserted in one transaction with multi-row statements. A token with the same uid and type
   * exists already: the whole import is refused (`onExisting: 'error'`) or the row is skipped (`'skip'`).
   */
  async importLocal(body: unknown, opts: { onExisting: OnExisting }): Promise<BulkOutcome> {
    const { rows, ids, errors } = readLocalTokenRows(body);
    if (errors.size > 0) return rejectedOutcome('invalid', ids, errors);
    const tokens = rows as LocalToken[];
    try {
      return await this.o.db.transaction(async (trx) => {
        const party = await getDefaultParty(trx);
        const stored = { countryCode: party.countryCode, partyId: party.partyId, issuer: party.name };
        // Inserted unless present, racing imports included: one waits for the other's commit, then skips.
        const inserted = await repo.insertTokensIfAbsent(trx, tokens.map((t) => ({ ...t, ...stored })));
        const present = new Map(tokens.flatMap((t, row) => (inserted.has(keyOf(t)) ? [] : [[row, `uid: token ${t.uid} (${t.type}) already exists`] as const])));
        if (present.size > 0 && opts.onExisting === 'error') throw new BulkRejected(rejectedOutcome('conflict', ids, present));
        return appliedOutcome(ids as string[], new Set(present.keys()));
      });
    } catch (err) {
      if (err instanceof BulkRejected) return err.outcome;
      throw err;
    }
  }
}

import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { Conflict, InvalidInput } from '../shared/errors.ts';
import { hashGeneratedSecret, type PasswordHasher } from '../shared/password.ts';
import { appliedOutcome, BulkRejected, mapBounded, rejectedOutcome, type BulkOutcome, type OnExisting } from '../shared/bulk.ts';
import { findEvse, listExistingLocationIds } from '../locations/location.service.ts';
import * as importRepo from './charger-import.repo.ts';
import { readChargerRows, type ChargerImportRow } from './charger-import.ts';
import { placeChargerAt, placeConnector, type EvseLayoutHooks } from './evse-layout.ts';

export interface ChargerImportOptions {
  db: Knex;
  passwords: PasswordHasher;
  /** The chargers' EVSE hooks (status recompute, location pushes): ChargerService.evseHooks. */
  hooks: EvseLayoutHooks;
  /** config ocpp.maxConnectorId */
  maxConnectorId: number;
  /** scrypt hashes in flight at once: enough to keep the libuv pool busy, not a queue of thousands. */
  hashConcurrency?: number;
}

// A generated password: 24 random bytes in base64url = 32 printable characters (OCPP security profile 1
// allows 8-40), for the operator to configure on the charger as its Basic auth password.
const generatePassword = (): string => randomBytes(24).toString('base64url');

/** A row ready to store: validated, its references checked, its password hashed. */
interface Prepared {
  index: number;
  row: ChargerImportRow;
  passwordHash: string;
}

/**
 * Bulk charger registration (issue 8): every row is checked first and any bad row leaves everything as it
 * was; then all chargers are inserted in one transaction with multi-row statements, attached to their
 * location/EVSE with the same code as a single registration, and their connector data stored.
 */
export class ChargerImportService {
  constructor(private readonly o: ChargerImportOptions) {}

  async import(body: unknown, opts: { onExisting: OnExisting }): Promise<BulkOutcome> {
    const { rows, ids, errors } = readChargerRows(body, this.o.maxConnectorId);
    const good = rows.flatMap((row, index) => (row ? [{ row, index }] : []));
    const locations = await listExistingLocationIds(this.o.db, [...new Set(good.flatMap(({ row }) => (row.locationId ? [row.locationId] : [])))]);
    for (const { row, index } of good) if (row.locationId && !locations.has(row.locationId)) errors.set(index, `locationId: location ${row.locationId} not found`);
    if (errors.size > 0) return rejectedOutcome('invalid', ids, errors);
    const existing = await importRepo.listExistingChargePointIds(this.o.db, good.map(({ row }) => row.id));
    if (existing.size > 0 && opts.onExisting === 'error') return rejectedOutcome('conflict', ids, existingErrors(good, existing));
    // Hashed before the transaction: scrypt's CPU time (tens of ms each) holds no lock.
    const generated = new Map<number, string>();
    const toCreate = await mapBounded(good.filter(({ row }) => !existing.has(row.id)), this.o.hashConcurrency ?? 8, async ({ row, index }): Promise<Prepared> => {
      const password = row.password ?? generatePassword();
      if (row.password === undefined) generated.set(index, password);
      // A generated password is random (192 bits): a fast hash; a chosen one gets scrypt (shared/password.ts).
      return { index, row, passwordHash: row.password === undefined ? hashGeneratedSecret(password) : await this.o.passwords.hash(password) };
    });
    try {
      const skipped = await this.o.db.transaction((trx) => this.store(trx, toCreate, { ids, onExisting: opts.onExisting }));
      const existingRows = new Set([...good.filter(({ row }) => existing.has(row.id)).map(({ index }) => index), ...skipped]);
      for (const index of existingRows) generated.delete(index);
      return appliedOutcome(ids as string[], existingRows, generated);
    } catch (err) {
      if (err instanceof BulkRejected) return err.outcome;
      throw err;
    }
  }

  /** Inside the import's transaction; returns the rows another import created meanwhile (skipped). */
  private async store(trx: Knex.Transaction, toCreate: Prepared[], o: { ids: Array<string | null>; onExisting: OnExisting }): Promise<number[]> {
    const inserted = await importRepo.insertChargePointsIfAbsent(trx, toCreate.map(({ row, passwordHash }) => ({ id: row.id, passwordHash, registrationStatus: 'Accepted', locationId: row.locationId })));
    const raced = toCreate.filter(({ row }) => !inserted.has(row.id));
    if (raced.length > 0 && o.onExisting === 'error') throw new BulkRejected(rejectedOutcome('conflict', o.ids, existingErrors(raced, new Set(raced.map(({ row }) => row.id)))));
    const created = toCreate.filter(({ row }) => inserted.has(row.id));
    await importRepo.insertConnectors(trx, created.flatMap(({ row }) => row.connectors.map((c) => ({ chargePointId: row.id, connectorNumber: c.connectorId, spec: c.spec }))));
    const hooks = deferLocationChanges(this.o.hooks);
    for (const p of created) {
      try {
        await this.place(trx, hooks, p.row);
      } catch (err) {
        // Refused before its writes (an EVSE of another location or charger): the whole import rolls back.
        if (!(err instanceof InvalidInput || err instanceof Conflict)) throw err;
        throw new BulkRejected(rejectedOutcome(err instanceof Conflict ? 'conflict' : 'invalid', o.ids, new Map([[p.index, err.message]])));
      }
    }
    await hooks.flush(trx);
    return raced.map(({ index }) => index);
  }

  /** The charger on its EVSE (connector 1 there, connector n on `<evse>-n`), then connectors the row puts elsewhere. */
  private async place(trx: Knex.Transaction, hooks: EvseLayoutHooks, row: ChargerImportRow): Promise<void> {
    if (!row.locationId) return;
    if (row.evseUid) await placeChargerAt(trx, hooks, { chargePointId: row.id, locationId: row.locationId, evseUid: row.evseUid });
    for (const c of row.connectors) if (c.evseUid) await placeConnector(trx, hooks, { chargePointId: row.id, connectorNumber: c.connectorId, evseUid: c.evseUid });
  }
}

function existingErrors(rows: ReadonlyArray<{ row: ChargerImportRow; index: number }>, existing: ReadonlySet<string>): Map<number, string> {
  return new Map(rows.filter(({ row }) => existing.has(row.id)).map(({ row, index }) => [index, `id: charger ${row.id} already exists`]));
}

/**
 * The EVSE hooks with "location changed" run once per location at the end: a thousand chargers attached
 * to one site queue one Location push to each eMSP, not a thousand.
 */
function deferLocationChanges(hooks: EvseLayoutHooks): EvseLayoutHooks & { flush(trx: Knex.Transaction): Promise<void> } {
  const changed = new Set<number>();
  return {
    recompute: hooks.recompute,
    removed: hooks.removed,
    changed: async (_trx, evseFk) => void changed.add(evseFk),
    async flush(trx) {
      const byLocation = new Map<string, number>();
      for (const fk of changed) {
        const evse = await findEvse(trx, fk);
        if (evse && !byLocation.has(evse.locationId)) byLocation.set(evse.locationId, fk);
      }
      for (const fk of byLocation.values()) await hooks.changed(trx, fk);
    },
  };
}

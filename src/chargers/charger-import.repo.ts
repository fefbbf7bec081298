// The multi-row statements of a bulk charger import (issue 8): one statement per chunk of rows rather
// than one round trip per charger.
import { dbNow } from '../db/clock.ts';
import type { Db } from '../db/knex.ts';
import type { RegistrationStatus } from './charger.types.ts';
import type { ConnectorSpecPatch } from './connector-spec.ts';

// Rows per statement: well under PostgreSQL's 65,535 bind parameters with 6-12 columns a row.
const CHUNK = 1000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Which of `ids` are chargers already. */
export async function listExistingChargePointIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks(ids)) for (const r of await db('charge_points').whereIn('id', part).select('id')) found.add(r.id);
  return found;
}

export interface NewChargePoint {
  id: string;
  passwordHash: string;
  registrationStatus: RegistrationStatus;
  locationId?: string;
}

/**
 * Inserts the chargers whose id is free; returns the ids inserted. A concurrent import of the same id
 * waits for the other transaction and then inserts nothing (PostgreSQL's ON CONFLICT DO NOTHING).
 */
export async function insertChargePointsIfAbsent(db: Db, cps: readonly NewChargePoint[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  const now = dbNow(db);
  for (const part of chunks(cps)) {
    const rows = part.map((cp) => ({ id: cp.id, password_hash: cp.passwordHash, registration_status: cp.registrationStatus, location_id: cp.locationId ?? null, created_at: now, updated_at: now }));
    for (const r of await db('charge_points').insert(rows).onConflict('id').ignore().returning('id')) inserted.add(r.id);
  }
  return inserted;
}

const SPEC_COLUMNS: Record<keyof ConnectorSpecPatch, string> = {
  standard: 'standard', format: 'format', powerType: 'power_type', maxVoltage: 'max_voltage', maxAmperage: 'max_amperage', maxElectricPower: 'max_electric_power',
};

/** New chargers' connectors, on no EVSE yet; data given by the operator is marked so (a charger's report never overrides it). */
export async function insertConnectors(db: Db, connectors: ReadonlyArray<{ chargePointId: string; connectorNumber: number; spec: ConnectorSpecPatch }>): Promise<void> {
  const now = dbNow(db);
  for (const part of chunks(connectors)) {
    const rows = part.map((c) => {
      const row: Record<string, unknown> = { charge_point_id: c.chargePointId, connector_number: c.connectorNumber, ocpi_id: String(c.connectorNumber), last_updated: now };
      for (const [key, column] of Object.entries(SPEC_COLUMNS)) {
        const value = c.spec[key as keyof ConnectorSpecPatch];
        if (value !== undefined) [row[column], row.spec_source] = [value, 'operator'];
      }
      return row;
    });
    await db('connectors').insert(rows);
  }
}

import type { Db } from '../db/knex.ts';

type Row = Record<string, any>;

export interface StoredCa {
  certificatePem: string;
  keyEncrypted: string;
}

export interface IssuedCertificateRecord {
  id: number;
  chargePointId: string;
  serialNumber: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  issuedAt: Date;
}

const toIssued = (r: Row): IssuedCertificateRecord => ({
  id: Number(r.id),
  chargePointId: r.charge_point_id,
  serialNumber: r.serial_number,
  subject: r.subject,
  notBefore: new Date(r.not_before),
  notAfter: new Date(r.not_after),
  issuedAt: new Date(r.issued_at),
});

export async function findOperatorCa(db: Db): Promise<StoredCa | undefined> {
  const row = await db('operator_ca').where({ id: 1 }).first();
  return row ? { certificatePem: row.certificate_pem, keyEncrypted: row.key_encrypted } : undefined;
}

/** Stores the CA unless another node stored one first; returns the one stored. */
export async function insertOperatorCaIfAbsent(db: Db, ca: StoredCa, at: Date): Promise<StoredCa> {
  await db('operator_ca').insert({ id: 1, certificate_pem: ca.certificatePem, key_encrypted: ca.keyEncrypted, created_at: at }).onConflict('id').ignore();
  return (await findOperatorCa(db))!;
}

export async function insertIssuedCertificate(db: Db, c: Omit<IssuedCertificateRecord, 'id'> & { certificatePem: string }): Promise<void> {
  await db('issued_certificates').insert({
    charge_point_id: c.chargePointId, serial_number: c.serialNumber, subject: c.subject, not_before: c.notBefore, not_after: c.notAfter, certificate_pem: c.certificatePem, issued_at: c.issuedAt,
  });
}

/** Soonest expiry first; `expiringBefore` keeps those that end before it. */
export async function listIssuedCertificates(db: Db, f: { chargePointId?: string; expiringBefore?: Date; limit: number; offset: number }): Promise<IssuedCertificateRecord[]> {
  const q = db('issued_certificates').orderBy([{ column: 'not_after' }, { column: 'id' }]).limit(f.limit).offset(f.offset);
  if (f.chargePointId !== undefined) q.where({ charge_point_id: f.chargePointId });
  if (f.expiringBefore !== undefined) q.where('not_after', '<', f.expiringBefore);
  return (await q).map(toIssued);
}

/** Chargers whose newest issued certificate ends before `before` (a renewal is due). */
export async function listChargersWithCertificateEndingBefore(db: Db, before: Date): Promise<string[]> {
  const rows = await db('issued_certificates').groupBy('charge_point_id').havingRaw('max(not_after) < ?', [before]).select('charge_point_id');
  return rows.map((r: Row) => r.charge_point_id);
}

import type { Db } from '../db/knex.ts';
import { translatePg } from '../db/pg-errors.ts';
import { NotFound } from '../shared/errors.ts';
import type { ConfirmedValue } from './drift.ts';
import type { ConfigurationTemplate, TemplateInput } from './template.types.ts';

type Row = Record<string, any>;

const toTemplate = (r: Row): ConfigurationTemplate => ({ id: r.id, name: r.name, vendor: r.vendor ?? null, model: r.model ?? null, keys: r.keys, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at) });

export async function insertTemplate(db: Db, t: TemplateInput, at: Date): Promise<ConfigurationTemplate> {
  const [row] = await translatePg(`configuration template ${t.name}`, () => db('configuration_templates').insert({ ...t, keys: JSON.stringify(t.keys), created_at: at, updated_at: at }).returning('*'));
  return toTemplate(row);
}

export async function updateTemplate(db: Db, id: number, t: TemplateInput, at: Date): Promise<ConfigurationTemplate> {
  const [row] = await translatePg(`configuration template ${t.name}`, () => db('configuration_templates').where({ id }).update({ ...t, keys: JSON.stringify(t.keys), updated_at: at }).returning('*'));
  if (!row) throw new NotFound(`configuration template ${id} not found`);
  return toTemplate(row);
}

export async function deleteTemplate(db: Db, id: number): Promise<void> {
  if ((await db('configuration_templates').where({ id }).delete()) === 0) throw new NotFound(`configuration template ${id} not found`);
}

export async function getTemplate(db: Db, id: number): Promise<ConfigurationTemplate> {
  const row = await db('configuration_templates').where({ id }).first();
  if (!row) throw new NotFound(`configuration template ${id} not found`);
  return toTemplate(row);
}

export async function listTemplates(db: Db): Promise<ConfigurationTemplate[]> {
  return (await db('configuration_templates').orderBy('id')).map(toTemplate);
}

/** Chargers of a vendor and model (null = any; case-insensitive), optionally only those given. */
export async function listChargersOfModel(db: Db, m: { vendor: string | null; model: string | null; ids?: string[] }): Promise<Array<{ id: string; vendor: string | null; model: string | null }>> {
  const q = db('charge_points').orderBy('id').select('id', 'vendor', 'model');
  if (m.vendor !== null) q.whereRaw('lower(vendor) = ?', [m.vendor.toLowerCase()]);
  if (m.model !== null) q.whereRaw('lower(model) = ?', [m.model.toLowerCase()]);
  if (m.ids) q.whereIn('id', m.ids);
  return q;
}

/** The confirmed configuration of the chargers given, per charger. */
export async function listConfirmedValues(db: Db, chargePointIds: string[]): Promise<Map<string, ConfirmedValue[]>> {
  const rows = chargePointIds.length ? await db('charger_configuration').whereIn('charge_point_id', chargePointIds).select('charge_point_id', 'key', 'value', 'status') : [];
  const out = new Map<string, ConfirmedValue[]>();
  for (const r of rows) out.set(r.charge_point_id, [...(out.get(r.charge_point_id) ?? []), { key: r.key, value: r.value, status: r.status }]);
  return out;
}

import type { Db } from '../db/knex.ts';
import type { DeviceModelVariable } from './device-model.ts';

/** Stores the variables of one NotifyReport part; a variable reported again replaces its earlier report. */
export async function upsertDeviceModelVariables(db: Db, chargePointId: string, variables: DeviceModelVariable[], at: Date): Promise<void> {
  if (variables.length === 0) return;
  const rows = variables.map((v) => ({
    charge_point_id: chargePointId,
    component_name: v.component.name,
    component_instance: v.component.instance ?? '',
    evse_id: v.component.evse?.id ?? 0,
    connector_id: v.component.evse?.connectorId ?? 0,
    variable_name: v.variable.name,
    variable_instance: v.variable.instance ?? '',
    attributes: JSON.stringify(v.attributes),
    characteristics: v.characteristics ? JSON.stringify(v.characteristics) : null,
    reported_at: at,
  }));
  await db('device_model_variables')
    .insert(rows)
    .onConflict(['charge_point_id', 'component_name', 'component_instance', 'evse_id', 'connector_id', 'variable_name', 'variable_instance'])
    .merge(['attributes', 'characteristics', 'reported_at']);
}

export async function listDeviceModelVariables(db: Db, chargePointId: string): Promise<Array<DeviceModelVariable & { reportedAt: Date }>> {
  const rows = await db('device_model_variables').where({ charge_point_id: chargePointId }).orderBy(['component_name', 'component_instance', 'evse_id', 'connector_id', 'variable_name', 'variable_instance']);
  return rows.map((r) => ({
    component: { name: r.component_name, ...(r.component_instance ? { instance: r.component_instance } : {}), ...(r.evse_id ? { evse: { id: r.evse_id, ...(r.connector_id ? { connectorId: r.connector_id } : {}) } } : {}) },
    variable: { name: r.variable_name, ...(r.variable_instance ? { instance: r.variable_instance } : {}) },
    attributes: r.attributes,
    ...(r.characteristics ? { characteristics: r.characteristics } : {}),
    reportedAt: r.reported_at,
  }));
}

/**
 * For a 1.6 GetConfiguration of a 2.0.1 station: the station-level variables (no EVSE) whose Actual attribute it
 * reported ReadOnly, named `Component[/instance].Variable[/instance]`, and its DeviceDataCtrlr.ItemsPerMessage
 * [GetVariables] (the most variables one GetVariables may ask for), when reported.
 */
export async function configurationHints(db: Db, chargePointId: string): Promise<{ readOnly: Set<string>; getVariablesPerMessage?: number }> {
  const rows = await db('device_model_variables').where({ charge_point_id: chargePointId, evse_id: 0 });
  const part = (name: string, instance: string) => (instance ? `${name}/${instance}` : name);
  const actual = (r: { attributes: unknown }) => (typeof r.attributes === 'string' ? JSON.parse(r.attributes) : r.attributes as DeviceModelVariable['attributes'])
    .find((a: { type?: string }) => (a.type ?? 'Actual') === 'Actual') as { mutability?: string; value?: string } | undefined;
  const readOnly = new Set(rows.filter((r) => actual(r)?.mutability === 'ReadOnly').map((r) => `${part(r.component_name, r.component_instance)}.${part(r.variable_name, r.variable_instance)}`));
  const perMessage = rows.find((r) => r.component_name === 'DeviceDataCtrlr' && r.component_instance === '' && r.variable_name === 'ItemsPerMessage' && r.variable_instance === 'GetVariables');
  const n = Number(perMessage ? actual(perMessage)?.value : undefined);
  return { readOnly, ...(Number.isInteger(n) && n > 0 ? { getVariablesPerMessage: n } : {}) };
}

import type { Knex } from 'knex';

// One EVSE per connector (OCPI 2.2.1 locations §8.3.2 NOTE: an OCPP 1.x charger presents each connector as
// its own EVSE; an EVSE charges one EV at a time). Until now attaching a charger put all its connectors on
// one EVSE, so one busy outlet hid the free one.
// - charge_points.primary_evse_fk: the EVSE given when the charger was attached; connector 1's EVSE and the
//   base of the uids of the EVSEs its other connectors get (`<uid>-<n>`).
// - connectors.spec_source: who set standard/format/power_type/max_*: null = the defaults, 'operator' (admin
//   API / CLI) or 'charger' (reported by the charger; never overrides the operator's values).
// - evses.pending_location_push: the EVSE was made or changed here, outside the services, so the eMSPs have
//   not been sent it; the next status change of the location's EVSEs sends the whole Location instead of a
//   status PATCH (an EVSE the eMSP never got cannot be patched).
// Existing EVSEs with several connectors are split: the lowest-numbered connector keeps the EVSE, each other
// connector gets `<uid>-<n>` at the same location with the EVSE's attributes and tariff rules. The split EVSEs
// are marked UNKNOWN until the charger's next report or reconnection recomputes them.

const UID_MAX = 36;

/** `<base>-<n>`, the base cut so that the whole fits OCPI's CiString(36) (same rule as src/chargers/evse-plan.ts). */
function derivedUid(base: string, n: number): string {
  const suffix = `-${n}`;
  return `${base.slice(0, UID_MAX - suffix.length)}${suffix}`;
}

async function freeUid(knex: Knex, wanted: string, fallback: string): Promise<string> {
  return (await knex('evses').where({ uid: wanted }).first('id')) ? fallback : wanted;
}

/** Copies the EVSE's descriptive columns (not uid, status or charge point) onto a new EVSE row. */
const COPIED = ['location_id', 'capabilities', 'floor_level', 'latitude', 'longitude', 'physical_reference', 'directions', 'parking_restrictions', 'images', 'status_schedule'];
const json = (v: unknown): unknown => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v);

async function splitEvse(knex: Knex, evse: Record<string, any>, connectors: Array<Record<string, any>>): Promise<void> {
  const rules = await knex('tariff_assignments').where({ evse_fk: evse.id });
  await knex('evses').where({ id: evse.id }).update({ status: 'UNKNOWN', pending_location_push: true, last_updated: knex.fn.now() });
  for (const c of connectors.slice(1)) {
    const uid = await freeUid(knex, derivedUid(evse.uid, c.connector_number), derivedUid(evse.uid, c.id));
    const row: Record<string, unknown> = { uid, charge_point_id: c.charge_point_id, status: 'UNKNOWN', pending_location_push: true };
    for (const k of COPIED) row[k] = json(evse[k]);
    const [created] = await knex('evses').insert(row).returning('id');
    await knex('connectors').where({ id: c.id }).update({ evse_fk: created.id, last_updated: knex.fn.now() });
    // An EVSE-scoped tariff rule covered this connector: it keeps covering it on its own EVSE.
    for (const r of rules) {
      await knex('tariff_assignments').insert({ tariff_id: r.tariff_id, evse_fk: created.id, partner_fk: r.partner_fk, group_id: r.group_id, priority: r.priority });
    }
  }
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('charge_points', (t) => {
    t.integer('primary_evse_fk').references('evses.id').onDelete('SET NULL');
  });
  await knex.schema.alterTable('connectors', (t) => {
    t.string('spec_source', 10);
  });
  await knex.schema.alterTable('evses', (t) => {
    t.boolean('pending_location_push').notNullable().defaultTo(false);
  });

  // Split first: afterwards connector 1 (or the lowest) is alone on the charger's original EVSE.
  const shared = await knex('connectors').whereNotNull('evse_fk').whereNotNull('connector_number').groupBy('evse_fk').havingRaw('count(*) > 1').select('evse_fk');
  for (const { evse_fk: evseFk } of shared) {
    const evse = await knex('evses').where({ id: evseFk }).first();
    const connectors = await knex('connectors').where({ evse_fk: evseFk }).whereNotNull('connector_number').orderBy([{ column: 'connector_number' }, { column: 'id' }]);
    await splitEvse(knex, evse, connectors);
  }

  // A charger's primary EVSE: the one of its lowest-numbered connector, else its oldest live EVSE.
  await knex.raw(`update charge_points cp set primary_evse_fk = coalesce(
      (select c.evse_fk from connectors c join evses e on e.id = c.evse_fk
        where c.charge_point_id = cp.id and e.location_id = cp.location_id order by c.connector_number limit 1),
      (select e.id from evses e where e.charge_point_id = cp.id and not e.is_removed order by e.id limit 1))
    where cp.location_id is not null`);
}

export async function down(knex: Knex): Promise<void> {
  // The split is not undone: each EVSE stays a valid EVSE with its own connector.
  await knex.schema.alterTable('evses', (t) => {
    t.dropColumn('pending_location_push');
  });
  await knex.schema.alterTable('connectors', (t) => {
    t.dropColumn('spec_source');
  });
  await knex.schema.alterTable('charge_points', (t) => {
    t.dropColumn('primary_evse_fk');
  });
}

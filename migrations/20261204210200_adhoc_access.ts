import type { Knex } from 'knex';

// Ad hoc access (issue 9): a location may let drivers without an account start a session at an EVSE
// (from a link or QR code), each bounded by the operator's maximum energy and/or amount (incl. VAT, in the
// session's tariff currency) per session. One row per ad hoc start: its generated token, where, its bounds,
// and when cpms asked the charger to stop at a bound.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('locations', (t) => {
    t.boolean('adhoc_allowed').notNullable().defaultTo(false);
    t.integer('adhoc_max_energy_wh');
    t.decimal('adhoc_max_amount', 12, 2);
  });
  await knex.schema.createTable('adhoc_sessions', (t) => {
    t.increments('id');
    t.integer('token_fk').notNullable().references('id_tokens.id').unique();
    t.string('id_tag', 20).notNullable();
    t.string('location_id', 36).notNullable();
    t.string('evse_uid', 36).notNullable();
    t.string('charge_point_id', 48).notNullable();
    t.integer('connector_id').notNullable();
    t.integer('max_energy_wh'); // null: amount only
    t.decimal('max_amount', 12, 2); // null: energy only
    t.string('status', 20).notNullable(); // REQUESTED | ACCEPTED | REJECTED (the RemoteStartTransaction answer)
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.integer('session_fk'); // set when the bound was reached
    t.timestamp('stop_requested_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('adhoc_sessions');
  await knex.schema.alterTable('locations', (t) => {
    t.dropColumn('adhoc_allowed');
    t.dropColumn('adhoc_max_energy_wh');
    t.dropColumn('adhoc_max_amount');
  });
}

import type { Knex } from 'knex';

// Reservations (OCPI RESERVE_NOW): the parties of the request, so that a result the CPO sends later on its
// own (CANCELED_RESERVATION when an operator cancels) carries the same OCPI-from/to routing headers as the
// answer to the RESERVE_NOW itself. Rows made before have neither: the partner's and the default party apply.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.integer('party_fk').references('parties.id').onDelete('SET NULL'); // our party the eMSP addressed
    t.jsonb('emsp_party'); // { country_code, party_id } of a routed (hub) request; null = the partner's own
    t.index(['charge_point_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reservations', (t) => {
    t.dropIndex(['charge_point_id']);
    t.dropColumn('emsp_party');
    t.dropColumn('party_fk');
  });
}

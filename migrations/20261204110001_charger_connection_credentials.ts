import type { Knex } from 'knex';

// charge_points.connection_id: the socket (one per accepted WebSocket, a uuid) the row's connected_node
// holds. Recording a disconnection clears the row only while it still names that socket, so a late close
// of an old socket on one node never undoes the charger's newer connection on another.
// charge_points.pending_password_hash: the password cpms sent a charger in ChangeConfiguration
// AuthorizationKey (OCPP 1.6 security whitepaper) while waiting for its answer; a handshake with it is
// accepted, and it replaces password_hash once the charger confirms it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('charge_points', (t) => {
    t.uuid('connection_id');
    t.string('pending_password_hash', 255);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('charge_points', (t) => {
    t.dropColumn('connection_id');
    t.dropColumn('pending_password_hash');
  });
}

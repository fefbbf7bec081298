import type { Knex } from 'knex';

// Maintenance tickets (issue 9): work on a charger, opened by hand or from an alert, with an assignee,
// a status (open → in_progress → resolved → closed) and append-only notes.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('maintenance_tickets', (t) => {
    t.increments('id');
    t.string('title', 200).notNullable();
    t.text('description');
    t.string('status', 12).notNullable(); // open | in_progress | resolved | closed
    t.string('assignee', 100);
    t.bigInteger('alert_fk').references('alerts.id').onDelete('SET NULL');
    t.string('charge_point_id', 48);
    t.integer('connector_id');
    t.string('created_by', 100).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('resolved_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    t.index(['status', 'id']);
    t.index(['charge_point_id', 'id']);
    t.index(['alert_fk']);
  });
  await knex.schema.createTable('maintenance_ticket_notes', (t) => {
    t.bigIncrements('id');
    t.integer('ticket_fk').notNullable().references('maintenance_tickets.id').onDelete('CASCADE');
    t.string('author', 100).notNullable();
    t.text('text').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['ticket_fk', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('maintenance_ticket_notes');
  await knex.schema.dropTableIfExists('maintenance_tickets');
}

import type { Knex } from 'knex';

// Driver accounts (issue 11): a driver with an email signs in to the driver app with a password the operator
// sets (scrypt hash, as operators); lock-out after repeated failed logins. A login session stores only the
// SHA-256 of its random token; it is a driver's session and never an operator's (its own table).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('drivers', (t) => {
    t.text('password_hash');
    t.integer('failed_attempts').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
  });
  await knex.schema.createTable('driver_sessions', (t) => {
    t.increments('id');
    t.integer('driver_fk').notNullable().references('drivers.id').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['driver_fk']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('driver_sessions');
  await knex.schema.alterTable('drivers', (t) => {
    t.dropColumn('locked_until');
    t.dropColumn('failed_attempts');
    t.dropColumn('password_hash');
  });
}

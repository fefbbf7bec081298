import type { Knex } from 'knex';

// Operator accounts of the back office (issue 9): people who log in to the admin API with an email and a
// password (scrypt hash), a role, and a lock-out after repeated failed logins. Emails are unique whatever
// their case (the unique index is on lower(email)).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('operators', (t) => {
    t.increments('id');
    t.string('email', 254).notNullable();
    t.string('name', 100);
    t.string('role', 20).notNullable(); // admin | operator | viewer | finance
    t.text('password_hash').notNullable();
    t.boolean('must_change_password').notNullable();
    t.integer('failed_attempts').notNullable();
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('disabled_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw('create unique index operators_email_lower_unique on operators (lower(email))');

  // A login session: only the SHA-256 of its random token is stored.
  await knex.schema.createTable('operator_sessions', (t) => {
    t.increments('id');
    t.integer('operator_id').notNullable().references('operators.id').onDelete('CASCADE');
    t.string('token_hash', 64).notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['operator_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('operator_sessions');
  await knex.schema.dropTableIfExists('operators');
}

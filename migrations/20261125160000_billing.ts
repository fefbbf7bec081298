import type { Knex } from 'knex';

// Billing: immutable CDRs (OCPI 2.2.1 cdrs §10.2.1: "it cannot be changed or replaced once sent") and
// settlement statements per partner and period, with the CDRs each one covers. Money and volumes are
// numeric (exact); the OCPI CDR itself is kept as sent, in jsonb.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('cdrs', (t) => {
    t.increments('id');
    t.string('cdr_id', 39).notNullable(); // OCPI CDR.id: 36 + "-C" suffix room for credit CDRs
    t.integer('party_fk').notNullable().references('parties.id');
    t.integer('session_fk').references('sessions.id');
    t.integer('partner_fk'); // eMSP owning the token (id_tokens.partner_fk); null for local tokens
    t.string('currency', 3).notNullable();
    t.specificType('total_cost_excl_vat', 'numeric').notNullable(); // negative for a credit CDR
    t.specificType('total_cost_incl_vat', 'numeric').notNullable();
    t.specificType('kwh', 'numeric').notNullable();
    t.specificType('total_time_hours', 'numeric').notNullable();
    t.specificType('total_parking_hours', 'numeric').notNullable();
    t.jsonb('body').notNullable();
    t.boolean('credit').notNullable().defaultTo(false);
    t.string('credit_reference_id', 39);
    t.timestamp('created_at', { useTz: true }).notNullable(); // = body.last_updated
    t.unique(['party_fk', 'cdr_id']);
    t.index(['partner_fk', 'created_at']);
    t.index(['created_at']);
  });
  // one CDR per session, one credit CDR per CDR
  await knex.raw('create unique index cdrs_session_unique on cdrs (session_fk) where not credit');
  await knex.raw('create unique index cdrs_credit_unique on cdrs (party_fk, credit_reference_id) where credit');
  // Immutability enforced by the database too: a CDR is never updated; corrections are credit CDRs.
  await knex.raw(`create function cdrs_refuse_update() returns trigger language plpgsql as $$
    begin raise exception 'cdrs are immutable: issue a credit CDR instead'; end $$`);
  await knex.raw('create trigger cdrs_immutable before update on cdrs for each row execute function cdrs_refuse_update()');

  await knex.schema.createTable('statements', (t) => {
    t.increments('id');
    t.integer('partner_fk'); // null: the operator's own tokens
    t.string('granularity', 8).notNullable(); // DAILY | MONTHLY
    t.timestamp('period_start', { useTz: true }).notNullable();
    t.timestamp('period_end', { useTz: true }).notNullable();
    t.string('time_zone', 40).notNullable().defaultTo('UTC');
    t.integer('cdr_count').notNullable();
    t.integer('late_cdr_count').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['period_start']);
  });
  await knex.raw('create unique index statements_unique on statements (coalesce(partner_fk, 0), granularity, period_start)');

  await knex.schema.createTable('statement_totals', (t) => {
    t.integer('statement_fk').notNullable().references('statements.id').onDelete('CASCADE');
    t.string('currency', 3).notNullable();
    t.integer('cdr_count').notNullable();
    t.integer('credit_count').notNullable();
    t.specificType('kwh', 'numeric').notNullable();
    t.specificType('total_time_hours', 'numeric').notNullable();
    t.specificType('total_parking_hours', 'numeric').notNullable();
    t.specificType('cost_excl_vat', 'numeric').notNullable();
    t.specificType('cost_incl_vat', 'numeric').notNullable();
    t.primary(['statement_fk', 'currency']);
  });

  await knex.schema.createTable('statement_cdrs', (t) => {
    t.integer('statement_fk').notNullable().references('statements.id').onDelete('CASCADE');
    t.integer('cdr_fk').notNullable().references('cdrs.id');
    t.string('granularity', 8).notNullable();
    t.primary(['statement_fk', 'cdr_fk']);
    t.unique(['cdr_fk', 'granularity']); // a CDR is settled once per granularity
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('statement_cdrs');
  await knex.schema.dropTableIfExists('statement_totals');
  await knex.schema.dropTableIfExists('statements');
  await knex.schema.dropTableIfExists('cdrs');
  await knex.raw('drop function if exists cdrs_refuse_update()');
}

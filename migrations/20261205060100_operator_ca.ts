import type { Knex } from 'knex';

// OCPP 1.6 security whitepaper §3 (issue 13): the operator's own CA that signs charger CSRs (SignCertificate),
// its private key encrypted at rest, and the certificates it issued (listed with their expiry).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('operator_ca', (t) => {
    t.smallint('id').primary(); // always 1: one CA per deployment
    t.text('certificate_pem').notNullable();
    /** AES-256-GCM under a key derived from config certificates.keySecret: `v1$<salt>$<iv>$<tag>$<ciphertext>` (base64). */
    t.text('key_encrypted').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('issued_certificates', (t) => {
    t.bigIncrements('id');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.string('serial_number', 40).notNullable().unique();
    t.string('subject', 255).notNullable();
    t.timestamp('not_before', { useTz: true }).notNullable();
    t.timestamp('not_after', { useTz: true }).notNullable();
    t.text('certificate_pem').notNullable();
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.index(['charge_point_id', 'id']);
    t.index(['not_after']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('issued_certificates');
  await knex.schema.dropTableIfExists('operator_ca');
}

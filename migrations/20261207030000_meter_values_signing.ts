import type { Knex } from 'knex';

// Signed meter values (issue 12, German Eichrecht): an OCPP 2.0.1 SampledValue's signedMeterValue is stored as a
// SignedData sample (value = signedMeterData) beside its Raw reading, with how it was signed; an OCPP 1.6
// SignedData sample leaves these empty (its blob, e.g. OCMF, names its own method). Text: OCPP 2.0.1 allows
// 50 characters for the methods and 2500 for the key, and nothing longer is ever cut here (the CDR decides).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('meter_values', (t) => {
    t.text('encoding_method');
    t.text('signing_method');
    t.text('public_key');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('meter_values', (t) => {
    t.dropColumn('encoding_method');
    t.dropColumn('signing_method');
    t.dropColumn('public_key');
  });
}

import type { Knex } from 'knex';

// A charger's configuration as the charger itself confirmed it: the keys of GetConfiguration answers and
// the ChangeConfiguration values it accepted (OCPP 1.6 §5.3, §5.8, §9.1). `status` RebootRequired: the
// value applies after the charger's next reboot (§7.9 ConfigurationStatus).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('charger_configuration', (t) => {
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.string('key', 50).notNullable(); // OCPP 1.6 KeyValue.key: CiString50
    t.text('value'); // CiString500; null when the charger reports the key without a value
    t.boolean('readonly');
    t.string('status', 20).notNullable(); // Confirmed | RebootRequired
    t.string('source', 30).notNullable(); // GetConfiguration | ChangeConfiguration
    t.timestamp('confirmed_at', { useTz: true }).notNullable();
    t.primary(['charge_point_id', 'key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('charger_configuration');
}

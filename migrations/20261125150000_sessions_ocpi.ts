import type { Knex } from 'knex';

// OCPI sessions SENDER: the charging preferences an eMSP PUT for a session (sessions §9.2.1.2) with the
// answer given, and where the last PATCHed charging period ended (a PATCH appends periods, §9.2.2.3).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.jsonb('charging_preferences'); // ChargingPreferences as received (wire format)
    t.string('charging_preferences_response', 30); // ChargingPreferencesResponse we answered
    t.timestamp('charging_preferences_at', { useTz: true });
    t.timestamp('ocpi_periods_until', { useTz: true }); // end of the last charging period pushed
    t.bigInteger('ocpi_periods_until_wh'); // energy register (Wh) at that moment
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.dropColumns('charging_preferences', 'charging_preferences_response', 'charging_preferences_at', 'ocpi_periods_until', 'ocpi_periods_until_wh');
  });
}

import type { Knex } from 'knex';

// Foundation data model: the operator's parties, locations/EVSEs/connectors (OCPI shape), charge points
// (OCPP identity), id tokens, sessions/transactions, meter values, status history and faults.
// Money is numeric, energy integer Wh, time timestamptz (UTC).

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('parties', (t) => {
    t.increments('id');
    t.string('country_code', 2).notNullable();
    t.string('party_id', 3).notNullable();
    t.string('name', 100).notNullable();
    t.string('website', 255);
    t.boolean('is_default').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['country_code', 'party_id']);
  });

  await knex.schema.createTable('locations', (t) => {
    t.string('id', 36).primary();
    t.integer('party_fk').notNullable().references('parties.id');
    t.boolean('publish').notNullable().defaultTo(true);
    t.string('name', 255);
    t.string('address', 45).notNullable();
    t.string('city', 45).notNullable();
    t.string('postal_code', 10);
    t.string('state', 20);
    t.string('country', 3).notNullable();
    t.string('latitude', 10).notNullable();
    t.string('longitude', 11).notNullable();
    t.string('time_zone', 255).notNullable();
    t.string('parking_type', 40);
    t.jsonb('facilities');
    t.jsonb('opening_times');
    t.boolean('charging_when_closed');
    t.jsonb('operator');
    t.jsonb('suboperator');
    t.jsonb('owner');
    t.jsonb('energy_mix');
    t.jsonb('directions');
    t.jsonb('images');
    t.jsonb('related_locations');
    t.jsonb('publish_allowed_to');
    t.integer('grid_limit_a');
    t.timestamp('last_updated', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('charge_points', (t) => {
    t.string('id', 48).primary(); // OCPP identity (chargeBoxIdentity), at most 48 chars in OCPP 1.6
    t.string('password_hash', 255);
    t.string('registration_status', 10).notNullable().defaultTo('Accepted'); // Accepted | Pending | Rejected
    t.string('location_id', 36).references('locations.id').onDelete('SET NULL');
    t.string('protocol', 20);
    t.string('vendor', 20);
    t.string('model', 20);
    t.string('serial_number', 25);
    t.string('box_serial_number', 25);
    t.string('firmware_version', 50);
    t.string('iccid', 20);
    t.string('imsi', 20);
    t.string('meter_type', 25);
    t.string('meter_serial_number', 25);
    t.integer('heartbeat_interval_sec');
    t.timestamp('last_boot_at', { useTz: true });
    t.timestamp('last_heartbeat_at', { useTz: true });
    t.timestamp('last_seen_at', { useTz: true });
    t.boolean('is_connected').notNullable().defaultTo(false);
    t.boolean('is_online').notNullable().defaultTo(false);
    t.string('connected_node', 100);
    t.timestamp('connected_at', { useTz: true });
    t.timestamp('disconnected_at', { useTz: true });
    t.string('firmware_status', 30);
    t.string('diagnostics_status', 30);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('evses', (t) => {
    t.increments('id');
    t.string('location_id', 36).notNullable().references('locations.id').onDelete('CASCADE');
    t.string('uid', 36).notNullable().unique();
    t.string('evse_id', 48);
    t.string('charge_point_id', 48).references('charge_points.id').onDelete('SET NULL');
    t.string('status', 20).notNullable().defaultTo('UNKNOWN');
    t.jsonb('capabilities');
    t.string('floor_level', 4);
    t.string('latitude', 10);
    t.string('longitude', 11);
    t.string('physical_reference', 16);
    t.jsonb('directions');
    t.jsonb('parking_restrictions');
    t.jsonb('images');
    t.jsonb('status_schedule');
    t.boolean('is_removed').notNullable().defaultTo(false);
    t.timestamp('last_updated', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('connectors', (t) => {
    t.increments('id');
    t.string('charge_point_id', 48).references('charge_points.id').onDelete('CASCADE');
    t.integer('connector_number'); // OCPP connectorId (>= 1)
    t.integer('evse_fk').references('evses.id').onDelete('SET NULL');
    t.string('ocpi_id', 36).notNullable();
    t.string('standard', 40).notNullable().defaultTo('IEC_62196_T2');
    t.string('format', 10).notNullable().defaultTo('SOCKET');
    t.string('power_type', 10).notNullable().defaultTo('AC_3_PHASE');
    t.integer('max_voltage').notNullable().defaultTo(230);
    t.integer('max_amperage').notNullable().defaultTo(32);
    t.integer('max_electric_power');
    t.jsonb('tariff_ids');
    t.string('terms_and_conditions', 255);
    t.string('ocpp_status', 20).notNullable().defaultTo('Unknown');
    t.string('error_code', 30);
    t.string('info', 50);
    t.string('vendor_error_code', 50);
    t.timestamp('status_at', { useTz: true });
    t.timestamp('last_updated', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['charge_point_id', 'connector_number']);
  });

  await knex.schema.createTable('id_tokens', (t) => {
    t.increments('id');
    t.string('country_code', 2).notNullable();
    t.string('party_id', 3).notNullable();
    t.string('uid', 36).notNullable();
    t.string('type', 20).notNullable().defaultTo('RFID');
    t.string('contract_id', 36).notNullable();
    t.string('visual_number', 64);
    t.string('issuer', 64).notNullable();
    t.string('group_id', 36);
    t.boolean('valid').notNullable().defaultTo(true);
    t.string('whitelist', 20).notNullable().defaultTo('ALLOWED');
    t.string('language', 2);
    t.string('default_profile_type', 20);
    t.jsonb('energy_contract');
    t.timestamp('expiry_date', { useTz: true });
    t.integer('partner_fk'); // set for tokens received from a roaming partner (OCPI tokens module)
    t.timestamp('last_updated', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['country_code', 'party_id', 'uid', 'type']);
    t.index(['uid']);
  });

  await knex.schema.createTable('sessions', (t) => {
    t.increments('id'); // doubles as the OCPP 1.6 transactionId (integer)
    t.string('uid', 36).notNullable().unique(); // OCPI Session.id
    t.integer('party_fk').notNullable().references('parties.id');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id');
    t.integer('connector_number').notNullable();
    t.integer('connector_fk').references('connectors.id').onDelete('SET NULL');
    t.string('location_id', 36);
    t.string('evse_uid', 36);
    t.string('id_tag', 36).notNullable();
    t.integer('token_fk').references('id_tokens.id').onDelete('SET NULL');
    t.string('auth_method', 20).notNullable().defaultTo('WHITELIST');
    t.string('authorization_reference', 36);
    t.integer('reservation_id');
    t.bigInteger('meter_start_wh').notNullable();
    t.bigInteger('meter_stop_wh');
    t.bigInteger('energy_wh').notNullable().defaultTo(0);
    t.timestamp('start_at', { useTz: true }).notNullable();
    t.timestamp('stop_at', { useTz: true });
    t.string('stop_reason', 20);
    t.string('stop_id_tag', 36);
    t.string('status', 12).notNullable().defaultTo('ACTIVE'); // OCPI SessionStatus
    t.string('currency', 3);
    t.decimal('total_cost_excl_vat', 18, 6);
    t.decimal('total_cost_incl_vat', 18, 6);
    t.jsonb('tariff_snapshot');
    t.jsonb('stop_transaction_data');
    t.timestamp('last_meter_at', { useTz: true });
    t.timestamp('last_updated', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['charge_point_id', 'connector_number', 'status']);
    t.index(['last_updated']);
  });

  await knex.schema.createTable('meter_values', (t) => {
    t.bigIncrements('id');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.integer('connector_number').notNullable();
    t.integer('session_fk').references('sessions.id').onDelete('CASCADE');
    t.timestamp('timestamp', { useTz: true }).notNullable();
    t.string('measurand', 50).notNullable();
    t.string('phase', 10);
    t.string('unit', 10);
    t.string('location', 10);
    t.string('context', 30);
    t.string('format', 12);
    t.text('value').notNullable(); // raw value as sent (SignedData can be long)
    t.specificType('numeric_value', 'numeric');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['session_fk', 'timestamp']);
    t.index(['charge_point_id', 'timestamp']);
  });

  await knex.schema.createTable('status_history', (t) => {
    t.bigIncrements('id');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.integer('connector_number').notNullable(); // 0 = the whole charge point (OCPP 1.6 §4.9)
    t.string('status', 20).notNullable();
    t.string('error_code', 30).notNullable();
    t.string('info', 50);
    t.string('vendor_id', 255);
    t.string('vendor_error_code', 50);
    t.timestamp('timestamp', { useTz: true }).notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['charge_point_id', 'timestamp']);
  });

  await knex.schema.createTable('faults', (t) => {
    t.bigIncrements('id');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.integer('connector_number').notNullable();
    t.string('kind', 20).notNullable(); // ERROR_CODE | OFFLINE
    t.string('error_code', 30).notNullable();
    t.string('info', 50);
    t.string('vendor_error_code', 50);
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('cleared_at', { useTz: true });
    t.index(['charge_point_id', 'cleared_at']);
  });

  await knex.schema.createTable('charge_point_events', (t) => {
    t.bigIncrements('id');
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.string('type', 40).notNullable(); // DataTransfer | DiagnosticsStatusNotification | FirmwareStatusNotification | Connected ...
    t.jsonb('payload');
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['charge_point_id', 'occurred_at']);
  });

  await knex.schema.createTable('reservations', (t) => {
    t.increments('id'); // OCPP reservationId
    t.string('charge_point_id', 48).notNullable().references('charge_points.id').onDelete('CASCADE');
    t.integer('connector_number').notNullable();
    t.string('id_tag', 36).notNullable();
    t.string('parent_id_tag', 36);
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.string('status', 20).notNullable().defaultTo('Requested');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('api_keys', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable();
    t.string('role', 20).notNullable(); // admin | operator | viewer
    t.string('key_hash', 64).notNullable().unique();
    t.string('prefix', 12).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'api_keys', 'reservations', 'charge_point_events', 'faults', 'status_history', 'meter_values', 'sessions',
    'id_tokens', 'connectors', 'evses', 'charge_points', 'locations', 'parties',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}

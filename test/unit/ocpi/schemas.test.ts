import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { InvalidInput } from '../../../src/shared/errors.ts';
import {
  OCPI_SCHEMA_NAMES,
  assertOcpi,
  validateOcpi,
  validateOcpiEnvelope,
  type OcpiSchemaName,
  type ValidationResult,
} from '../../../src/ocpi/validate.ts';

// The 59 example files of the OCPI 2.2.1 spec (ocpi/ocpi, examples/), copied to test/fixtures/ocpi-examples; see SOURCE.md there.
const EXAMPLES = new URL('../../fixtures/ocpi-examples/', import.meta.url);

interface Vector {
  schema: OcpiSchemaName;
  /** The file is a fragment: validate the value under this key. */
  at?: string;
  list?: boolean;
  envelope?: boolean;
}

const each = (files: string[], vector: Vector): Array<[string, Vector]> => files.map((f) => [`${f}.json`, vector]);

// Which schema each example file is for, as SOURCE.md lists it.
const TARIFFS = [
  'tariff_1_simple_2hour', 'tariff_2_alt_text', 'tariff_3_alt_url', 'tariff_4_complex', 'tariff_5_free_of_charge',
  'tariff_6_025kwh_start_max_price', 'tariff_8_simple_025kwh', 'tariff_9_025kwh_start', 'tariff_10_025kwh_parking_start',
  'tariff_11_not_possible_alt_text', 'tariff_12_025kwh_min_price', 'tariff_13_simple_3hour_5parking', 'tariff_14_step_size',
  'tariff_15_reservation_5_euro_per_hour', 'tariff_16_reservation_2_euro_fee_5_euro_per_hour',
  'tariff_17_reservation_with_expire_fee', 'tariff_18_reservation_with_expire_time',
  'tariffrestriction_example_max_duration', 'tariffrestriction_example_max_power',
];
const LOCATIONS = [
  'location_example', 'location_example_parking_garage_opening_hours', 'location_example_uc2_destination_charger',
  'location_example_uc3_destination_charger_not_published', 'location_example_uc4_limited_visibility',
  'location_example_uc5_home_charge_point',
];
const VECTORS = new Map<string, Vector>([
  ...each(['cdr_example'], { schema: 'CDR' }),
  ...each(['credentials_example', 'credentials_example2', 'credentials_example3', 'credentials_example4'], { schema: 'Credentials' }),
  ...each(LOCATIONS, { schema: 'Location' }),
  ...each(['location_patch_example_location'], { schema: 'LocationPatch' }),
  ...each(['location_patch_example_status', 'location_patch_example_remove_evse'], { schema: 'EVSEPatch' }),
  ...each(['location_patch_example_tariff'], { schema: 'ConnectorPatch' }),
  ...each(['247_open_exception_closing', 'opening_hours_with_exceptional_closing', 'opening_hours_with_exceptional_opening']
    .map((f) => `location_hours_${f}`), { schema: 'Hours' }),
  ...each(['location_regularhours_example'], { schema: 'Hours', at: 'opening_times' }),
  ...each(['complete', 'energy_provider', 'simple'].map((f) => `location_energymix_example_${f}`), { schema: 'EnergyMix', at: 'energy_mix' }),
  ...each(['session_example_1_simple_start', 'session_example_2_short_finished'], { schema: 'Session' }),
  ...each(['session_patch_example_charging_period', 'session_patch_example_total_cost'], { schema: 'SessionPatch' }),
  ...each(TARIFFS, { schema: 'Tariff' }),
  ...each(['token_example_1_app_user', 'token_example_2_full_rfid', 'token_put_example'], { schema: 'Token' }),
  ...each(['token_patch_example'], { schema: 'TokenPatch' }),
  ...each(['transport_and_format_get_token_example'], { schema: 'Token', envelope: true }),
  ...each(['transport_and_format_get_token_list_example'], { schema: 'Token', envelope: true, list: true }),
  ...each(['transport_and_format_version_details_example'], { schema: 'VersionDetails', envelope: true }),
  ...each(['transport_and_format_version_info_example'], { schema: 'Version', envelope: true, list: true }),
  ...each(['version_details_example', 'version_details_example2'], { schema: 'VersionDetails' }),
  ...each(['versions_info_example'], { schema: 'Version', list: true }),
  ...each(['type_displaytext_example'], { schema: 'DisplayText' }),
]);

// Known-broken in the spec itself (SOURCE.md): a strict schema must reject them.
const BROKEN = new Map<string, Vector>([
  ['location_put_example_add_evse.json', { schema: 'EVSE' }],
  ['tariff_put_example.json', { schema: 'Tariff' }],
]);

function readExample(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as Record<string, unknown>;
}

function check(file: string, vector: Vector, strict = false): ValidationResult {
  const json = readExample(file);
  const value = vector.at ? json[vector.at] : json;
  const options = { list: vector.list, strict };
  return vector.envelope ? validateOcpiEnvelope(value, vector.schema, options) : validateOcpi(vector.schema, value, options);
}

/** A fresh, valid Location (the spec's main example) to break one rule at a time. */
function aLocation(): any {
  return readExample('location_example.json');
}

function expectRejected(result: ValidationResult, path: string, message?: string): void {
  expect(result).to.include({ ok: false, path });
  if (message !== undefined && !result.ok) expect(result.message).to.equal(`${path}: ${message}`);
}

describe('ocpi/validate: OCPI 2.2.1 JSON schemas', () => {
  describe('spec examples (test/fixtures/ocpi-examples)', () => {
    it('should map every one of the 59 example files to a schema', () => {
      const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort();
      expect(files).to.have.length(59);
      expect([...VECTORS.keys(), ...BROKEN.keys()].sort()).to.deep.equal(files);
    });

    for (const [file, vector] of VECTORS) {
      const what = `${vector.envelope ? 'envelope with ' : ''}${vector.schema}${vector.list ? '[]' : ''}`;
      it(`OCPI 2.2.1 examples/${file}: should be a valid ${what}`, () => {
        expect(check(file, vector)).to.deep.equal({ ok: true });
        expect(check(file, vector, true), 'strict: no unknown fields').to.deep.equal({ ok: true });
      });
    }

    it('OCPI 2.2.1 locations §8.2.2.2: should reject the add-EVSE example, whose connector lacks power_type', () => {
      const result = check('location_put_example_add_evse.json', BROKEN.get('location_put_example_add_evse.json')!);
      expectRejected(result, 'connectors[0].power_type', "must have required property 'power_type'");
    });

    it('OCPI 2.2.1 locations §8.3.2: should reject the add-EVSE example in strict mode for `floor` (spec: floor_level)', () => {
      const result = check('location_put_example_add_evse.json', BROKEN.get('location_put_example_add_evse.json')!, true);
      expectRejected(result, 'floor', 'must NOT have additional properties');
    });

    it('OCPI 2.2.1 locations §8.3.2: should reject a numeric physical_reference (string(16))', () => {
      const evse = readExample('location_put_example_add_evse.json');
      evse.connectors = (aLocation().evses as any[])[0].connectors;
      expectRejected(validateOcpi('EVSE', evse), 'physical_reference', 'must be string');
    });

    it('OCPI 2.2.1 tariffs §11.2.2.2: should reject the PUT example, which lacks last_updated', () => {
      const result = check('tariff_put_example.json', BROKEN.get('tariff_put_example.json')!);
      expectRejected(result, 'last_updated', "must have required property 'last_updated'");
    });
  });

  describe('object rules', () => {
    it('OCPI 2.2.1 locations §8.3.1: should reject a Location without time_zone', () => {
      const location = aLocation();
      delete location.time_zone;
      expectRejected(validateOcpi('Location', location), 'time_zone', "must have required property 'time_zone'");
    });

    it('OCPI 2.2.1 locations §8.4.19: should reject an unknown PowerType with the full field path', () => {
      const location = aLocation();
      location.evses[0].connectors[0].power_type = 'AC_4_PHASE';
      const result = validateOcpi('Location', location);
      expectRejected(result, 'evses[0].connectors[0].power_type', 'must be equal to one of the allowed values');
    });

    it('OCPI 2.2.1 locations §8.3.3: should reject max_voltage sent as a string (no type coercion)', () => {
      const location = aLocation();
      location.evses[0].connectors[0].max_voltage = '220';
      expectRejected(validateOcpi('Location', location), 'evses[0].connectors[0].max_voltage', 'must be integer');
    });

    it('OCPI 2.2.1 locations §8.3.1: should reject an id longer than CiString(36)', () => {
      const location = aLocation();
      location.id = 'x'.repeat(37);
      expectRejected(validateOcpi('Location', location), 'id', 'must NOT have more than 36 characters');
    });

    it('OCPI 2.2.1 types §16.1: should reject a CiString with non-ASCII characters', () => {
      const location = aLocation();
      location.party_id = 'BÉC';
      expectRejected(validateOcpi('Location', location), 'party_id');
    });

    it('OCPI 2.2.1 types §16.7: should reject a string with a line break', () => {
      const location = aLocation();
      location.address = 'F.Rooseveltlaan\n3A';
      expectRejected(validateOcpi('Location', location), 'address');
    });

    it('OCPI 2.2.1 types §16.3: should reject a DisplayText language longer than string(2)', () => {
      expectRejected(validateOcpi('DisplayText', { language: 'eng', text: 'Go left' }), 'language');
    });

    it('OCPI 2.2.1 types §16.2: should accept every DateTime form the spec lists', () => {
      const forms = ['2015-06-29T20:39:09Z', '2015-06-29T20:39:09', '2016-12-29T17:45:09.2Z', '2016-12-29T17:45:09.2', '2018-01-01T01:08:01.123Z', '2018-01-01T01:08:01.123'];
      for (const form of forms) expect(validateOcpi('DateTime', form), form).to.deep.equal({ ok: true });
    });

    for (const bad of ['2015-06-29T20:39:09+00:00', '2015-06-29 20:39:09Z', '2015-13-29T20:39:09Z', '2015-06-29', '1970-1-1T00:00:00Z']) {
      it(`OCPI 2.2.1 types §16.2: should reject the DateTime ${bad}`, () => {
        const location = aLocation();
        location.last_updated = bad;
        expectRejected(validateOcpi('Location', location), 'last_updated');
      });
    }

    const badCoordinates = [['latitude', '51.0476'], ['latitude', '151.047599'], ['latitude', '51,047599'], ['longitude', '1003.729944']];
    for (const [field, bad] of badCoordinates) {
      it(`OCPI 2.2.1 locations §8.4.13: should reject the ${field} ${bad}`, () => {
        const location = aLocation();
        location.coordinates[field] = bad;
        expectRejected(validateOcpi('Location', location), `coordinates.${field}`);
      });
    }

    it('OCPI 2.2.1 locations §8.4.21: should reject a RegularHours period_begin of 24:00', () => {
      const hours = readExample('location_regularhours_example.json').opening_times as any;
      hours.regular_hours[0].period_begin = '24:00';
      expectRejected(validateOcpi('Hours', hours), 'regular_hours[0].period_begin');
    });

    it('OCPI 2.2.1 locations §8.4.14: should require regular_hours when twentyfourseven is false', () => {
      const result = validateOcpi('Hours', { twentyfourseven: false });
      expectRejected(result, 'regular_hours', "must have required property 'regular_hours'");
    });

    it('OCPI 2.2.1 locations §8.4.20: should require type when a PublishTokenType has a uid', () => {
      const location = aLocation();
      location.publish = false;
      location.publish_allowed_to = [{ uid: '12345678905880' }];
      expectRejected(validateOcpi('Location', location), 'publish_allowed_to[0].type');
    });

    it('OCPI 2.2.1 locations §8.4.20: should reject a PublishTokenType without uid, visual_number or group_id', () => {
      const location = aLocation();
      location.publish_allowed_to = [{ issuer: 'NewMotion' }];
      expectRejected(validateOcpi('Location', location), 'publish_allowed_to[0]', 'must match a schema in anyOf');
    });

    it('OCPI 2.2.1 tokens §12.3.2: should reject a Token without whitelist', () => {
      const token = readExample('token_example_2_full_rfid.json');
      delete token.whitelist;
      expectRejected(validateOcpi('Token', token), 'whitelist', "must have required property 'whitelist'");
    });

    it('OCPI 2.2.1 cdrs §10.3.1: should require credit_reference_id on a credit CDR', () => {
      const cdr = { ...readExample('cdr_example.json'), credit: true };
      expectRejected(validateOcpi('CDR', cdr), 'credit_reference_id');
    });

    it('OCPI 2.2.1 cdrs §10.4.4: should reject a CdrLocation address longer than string(45)', () => {
      const cdr = readExample('cdr_example.json') as any;
      cdr.cdr_location.address = 'a'.repeat(46);
      expectRejected(validateOcpi('CDR', cdr), 'cdr_location.address', 'must NOT have more than 45 characters');
    });

    it('OCPI 2.2.1 commands §13.3.5: should require evse_uid when a StartSession names a connector_id', () => {
      const start = {
        response_url: 'https://www.server.com/ocpi/emsp/2.2.1/commands/START_SESSION/1234',
        token: readExample('token_example_1_app_user.json'),
        location_id: 'LOC1',
        connector_id: '1',
      };
      expectRejected(validateOcpi('StartSession', start), 'evse_uid');
    });

    it('OCPI 2.2.1 credentials §7.3.1: should reject Credentials without roles', () => {
      const credentials = { ...readExample('credentials_example.json'), roles: [] };
      expectRejected(validateOcpi('Credentials', credentials), 'roles', 'must NOT have fewer than 1 items');
    });
  });

  describe('PATCH variants', () => {
    it('OCPI 2.2.1 locations §8.2.2.3: should reject a Location PATCH without last_updated', () => {
      expectRejected(validateOcpi('LocationPatch', { name: 'Gent Zuid' }), 'last_updated');
    });

    it('OCPI 2.2.1 locations §8.2.2.3: should still validate the fields a PATCH carries', () => {
      const result = validateOcpi('EVSEPatch', { status: 'GONE', last_updated: '2019-06-24T12:39:09Z' });
      expectRejected(result, 'status', 'must be equal to one of the allowed values');
    });

    it('OCPI 2.2.1 sessions §9.2.2.3: should validate added charging periods in full', () => {
      const patch = { charging_periods: [{ start_date_time: '2019-06-23T08:16:02Z' }], last_updated: '2019-06-23T08:16:02Z' };
      expectRejected(validateOcpi('SessionPatch', patch), 'charging_periods[0].dimensions');
    });
  });

  describe('envelope, unknown fields and API', () => {
    it('OCPI 2.2.1 transport §4.1.7: should report an invalid item in a list response under data[i]', () => {
      const envelope = readExample('transport_and_format_get_token_list_example.json') as any;
      envelope.data[1].whitelist = 'SOMETIMES';
      expectRejected(validateOcpiEnvelope(envelope, 'Token', { list: true }), 'data[1].whitelist');
    });

    it('OCPI 2.2.1 transport §4.1.7: should reject an envelope without timestamp', () => {
      expectRejected(validateOcpiEnvelope({ status_code: 1000 }), 'timestamp');
    });

    it('OCPI 2.2.1 transport §4.1.7: should accept an error envelope without data unless a data schema is asked for', () => {
      const error = { status_code: 2001, status_message: 'Missing required field: type', timestamp: '2015-06-30T21:59:59Z' };
      expect(validateOcpiEnvelope(error)).to.deep.equal({ ok: true });
      expectRejected(validateOcpiEnvelope(error, 'Token'), 'data');
    });

    it('should accept unknown fields by default and reject them in strict mode', () => {
      const location = aLocation();
      location.evses[0].x_vendor_note = 'partner extension';
      expect(validateOcpi('Location', location)).to.deep.equal({ ok: true });
      expectRejected(validateOcpi('Location', location, { strict: true }), 'evses[0].x_vendor_note');
    });

    it('should throw InvalidInput carrying the path and message from assertOcpi', () => {
      const location = aLocation();
      delete location.time_zone;
      expect(() => assertOcpi('Location', location))
        .to.throw(InvalidInput, "time_zone: must have required property 'time_zone'");
    });

    it('should compile every schema name, including the PATCH variants', () => {
      expect(OCPI_SCHEMA_NAMES).to.include.members(['Location', 'LocationPatch', 'EVSEPatch', 'ConnectorPatch', 'SessionPatch', 'TokenPatch']);
      for (const name of OCPI_SCHEMA_NAMES) expect(() => validateOcpi(name, {}), name).not.to.throw();
    });

    it('should throw on a schema name that does not exist', () => {
      expect(() => validateOcpi('Booking' as OcpiSchemaName, {})).to.throw('Unknown OCPI schema Booking');
    });
  });
});

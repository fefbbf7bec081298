// Connector data validation (OCPI 2.2.1 locations §8.3.3; enums §8.4.4, §8.4.5, §8.4.19).
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { CONNECTOR_FORMATS, CONNECTOR_TYPES, POWER_TYPES, isEmptySpecPatch, readConnectorSpecPatch } from '../../../src/chargers/connector-spec.ts';
import { InvalidInput } from '../../../src/shared/errors.ts';

const enums = JSON.parse(readFileSync(new URL('../../../ocpi-schemas/enums.json', import.meta.url), 'utf8')).$defs;

describe('unit chargers connector-spec', () => {
  it('should list exactly the values of the OCPI 2.2.1 schemas (ConnectorType, ConnectorFormat, PowerType)', () => {
    expect([...CONNECTOR_TYPES]).to.deep.equal(enums.ConnectorType.enum);
    expect([...CONNECTOR_FORMATS]).to.deep.equal(enums.ConnectorFormat.enum);
    expect([...POWER_TYPES]).to.deep.equal(enums.PowerType.enum);
  });

  const valid: Array<{ name: string; input: Record<string, unknown>; expected: unknown }> = [
    { name: 'should read nothing from an empty object', input: {}, expected: {} },
    { name: 'should read a DC combo connector', input: { standard: 'IEC_62196_T2_COMBO', format: 'CABLE', powerType: 'DC', maxVoltage: 920, maxAmperage: 125, maxElectricPower: 50000 }, expected: { standard: 'IEC_62196_T2_COMBO', format: 'CABLE', powerType: 'DC', maxVoltage: 920, maxAmperage: 125, maxElectricPower: 50000 } },
    { name: 'should read a cleared maximum power as null', input: { maxElectricPower: null }, expected: { maxElectricPower: null } },
    { name: 'should accept the largest int4', input: { maxElectricPower: 2147483647 }, expected: { maxElectricPower: 2147483647 } },
    { name: 'should keep the mixed case of IEC_60309_2_single_16', input: { standard: 'IEC_60309_2_single_16' }, expected: { standard: 'IEC_60309_2_single_16' } },
  ];
  for (const c of valid) it(c.name, () => expect(readConnectorSpecPatch(c.input)).to.deep.equal(c.expected));

  const invalid: Array<{ name: string; input: Record<string, unknown>; message: RegExp }> = [
    { name: 'should refuse a standard outside the enum', input: { standard: 'TYPE2' }, message: /^standard: must be one of CHADEMO, / },
    { name: 'should refuse a lower-case format', input: { format: 'socket' }, message: /^format: must be one of SOCKET, CABLE$/ },
    { name: 'should refuse a power type given as a number', input: { powerType: 3 }, message: /^powerType: / },
    { name: 'should refuse a negative voltage', input: { maxVoltage: -230 }, message: /^maxVoltage: must be a positive integer/ },
    { name: 'should refuse a null amperage (OCPI: required)', input: { maxAmperage: null }, message: /^maxAmperage: / },
    { name: 'should refuse a power above int4', input: { maxElectricPower: 2147483648 }, message: /^maxElectricPower: / },
    { name: 'should refuse a voltage as a numeric string', input: { maxVoltage: '230' }, message: /^maxVoltage: / },
  ];
  for (const c of invalid) {
    it(c.name, () => {
      expect(() => readConnectorSpecPatch(c.input)).to.throw(InvalidInput, c.message);
    });
  }

  it('should tell an empty patch from one that sets a field to null', () => {
    expect([isEmptySpecPatch({}), isEmptySpecPatch({ maxElectricPower: null }), isEmptySpecPatch({ format: 'CABLE' })]).to.deep.equal([true, false, false]);
  });
});

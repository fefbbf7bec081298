import { expect } from 'chai';
import { connectorSpecsFromKeys, type ConnectorDataKey } from '../../../src/chargers/connector-data-keys.ts';
import type { ConfirmedKey } from '../../../src/chargers/configuration.ts';

const key = (k: string, value: string | null, status: ConfirmedKey['status'] = 'Confirmed'): ConfirmedKey => ({ key: k, value, readonly: true, status, source: 'GetConfiguration' });
const MAPPINGS: ConnectorDataKey[] = [
  { key: 'Connector{n}Type', field: 'standard', values: { CCS2: 'IEC_62196_T2_COMBO' } },
  { key: 'MaxCurrent', field: 'maxAmperage' },
  { key: 'Connector{n}MaxPowerKw', field: 'maxElectricPower', scale: 1000 },
];

describe('unit connector data from configuration keys', () => {
  it('should map {n} keys to their connector, case-insensitively, and a plain key to connector 1', () => {
    const { specs, problems } = connectorSpecsFromKeys([key('connector2type', 'CCS2'), key('MAXCURRENT', '125'), key('Connector2MaxPowerKw', '22.5')], MAPPINGS, 32);
    expect(problems).to.deep.equal([]);
    expect(Object.fromEntries(specs)).to.deep.equal({ 1: { maxAmperage: 125 }, 2: { standard: 'IEC_62196_T2_COMBO', maxElectricPower: 22_500 } });
  });

  it('should report values outside the OCPI enums or not positive numbers, and skip them', () => {
    const { specs, problems } = connectorSpecsFromKeys([key('Connector1Type', 'Type-Z'), key('MaxCurrent', '-3'), key('Connector1MaxPowerKw', 'lots')], MAPPINGS, 32);
    expect(specs.size).to.equal(0);
    expect(problems).to.have.length(3);
    expect(problems[0]).to.match(/^Connector1Type="Type-Z": standard: must be one of /);
  });

  it('should ignore connectors past maxConnectorId, keys not confirmed yet, empty values and unmapped keys', () => {
    const keys = [key('Connector40Type', 'CCS2'), key('Connector1Type', 'CCS2', 'RebootRequired'), key('MaxCurrent', null), key('Connector1Colour', 'red'), key('Connector0Type', 'CCS2')];
    expect(connectorSpecsFromKeys(keys, MAPPINGS, 32).specs.size).to.equal(0);
  });
});

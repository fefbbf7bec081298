import { expect } from 'chai';
import { deviceModelOf } from '../../../src/chargers/device-model.ts';

describe('unit OCPP 2.0.1 device model', () => {
  it('OCPP201 B07: should keep component, evse, variable, attributes and characteristics and drop customData', () => {
    const model = deviceModelOf([
      {
        component: { name: 'EVSE', instance: 'main', evse: { id: 2 }, customData: { vendorId: 'X' } },
        variable: { name: 'Power', instance: 'max' },
        variableAttribute: [{ type: 'MaxSet', value: '22000', customData: { vendorId: 'X' } }],
        variableCharacteristics: { dataType: 'decimal', unit: 'W', maxLimit: 22000, supportsMonitoring: true, customData: { vendorId: 'X' } },
      },
      { component: { name: 'SecurityCtrlr' }, variable: { name: 'OrganizationName' }, variableAttribute: [{ value: 'ACME' }] },
    ]);

    expect(model).to.deep.equal([
      { component: { name: 'EVSE', instance: 'main', evse: { id: 2 } }, variable: { name: 'Power', instance: 'max' }, attributes: [{ type: 'MaxSet', value: '22000' }], characteristics: { dataType: 'decimal', unit: 'W', maxLimit: 22000, supportsMonitoring: true } },
      { component: { name: 'SecurityCtrlr' }, variable: { name: 'OrganizationName' }, attributes: [{ value: 'ACME' }] },
    ]);
  });
});

import { expect } from 'chai';
import { bootFields, connectorStatus16 } from '../../../src/chargers/ocpp201.mapper.ts';
import { idTokenInfo } from '../../../src/tokens/ocpp201.mapper.ts';

describe('unit OCPP 2.0.1 mappers', () => {
  it('OCPP201 B01: should take vendor, model, serial, firmware and modem from chargingStation', () => {
    const fields = bootFields({ reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M', serialNumber: 'S', firmwareVersion: 'F', modem: { iccid: 'I', imsi: 'X' } } });

    expect(fields).to.deep.equal({ chargePointVendor: 'V', chargePointModel: 'M', chargePointSerialNumber: 'S', firmwareVersion: 'F', iccid: 'I', imsi: 'X' });
  });

  it('OCPP201 G01: should map the five connector statuses onto 1.6 statuses', () => {
    const statuses = (['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'] as const).map(connectorStatus16);

    expect(statuses).to.deep.equal(['Available', 'Charging', 'Reserved', 'Unavailable', 'Faulted']);
  });

  it('OCPP201 C01: should map idTagInfo onto idTokenInfo with a Central groupIdToken', () => {
    expect(idTokenInfo({ status: 'Accepted', expiryDate: '2027-01-01T00:00:00.000Z', parentIdTag: 'GROUP1' })).to.deep.equal({ status: 'Accepted', cacheExpiryDateTime: '2027-01-01T00:00:00.000Z', groupIdToken: { idToken: 'GROUP1', type: 'Central' } });
    expect(idTokenInfo({ status: 'Blocked' })).to.deep.equal({ status: 'Blocked' });
  });
});

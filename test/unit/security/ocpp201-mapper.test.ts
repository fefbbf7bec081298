import { expect } from 'chai';
import { toOcpp201 } from '../../../src/ocpp/v201/commands.ts';

describe('unit security/ocpp201.mapper (1.6 security commands to OCPP 2.0.1)', () => {
  it('OCPP 2.0.1 A01: should send AuthorizationKey as SetVariables SecurityCtrlr.BasicAuthPassword and read the attribute status back', () => {
    const t = toOcpp201('ChangeConfiguration', { key: 'AuthorizationKey', value: 'AB'.repeat(20) });

    expect([t.action, t.payload]).to.deep.equal(['SetVariables', { setVariableData: [{ component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' }, attributeValue: 'AB'.repeat(20) }] }]);
    for (const [attributeStatus, status] of [['Accepted', 'Accepted'], ['RebootRequired', 'RebootRequired'], ['Rejected', 'Rejected'], ['UnknownVariable', 'NotSupported']]) {
      expect(t.answer({ setVariableResult: [{ attributeStatus }] })).to.deep.equal({ status });
    }
  });

  it('should refuse other ChangeConfiguration keys (SecurityProfile needs SetNetworkProfile) with a Conflict', () => {
    expect(() => toOcpp201('ChangeConfiguration', { key: 'SecurityProfile', value: '2' })).to.throw(/not supported for OCPP 2.0.1/);
  });

  it('OCPP 2.0.1 F06: should send ExtendedTriggerMessage of connector 102 as TriggerMessage of the EVSE it is on (EVSE 1)', () => {
    const t = toOcpp201('ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate', connectorId: 102 });

    expect([t.action, (t.payload as { evse: unknown }).evse]).to.deep.equal(['TriggerMessage', { id: 1 }]);
  });

  it('should refuse a certificate type without a 2.0.1 counterpart', () => {
    expect(() => toOcpp201('InstallCertificate', { certificateType: 'V2G', certificate: 'x' })).to.throw(/no OCPP 2.0.1 counterpart/);
  });

  it('OCPP 2.0.1 L01: should send SignedUpdateFirmware as UpdateFirmware unchanged', () => {
    const p = { requestId: 7, retries: 1, firmware: { location: 'https://x', retrieveDateTime: '2026-12-05T00:00:00Z', signingCertificate: 'PEM', signature: 'c2ln' } };
    const t = toOcpp201('SignedUpdateFirmware', p);

    expect([t.action, t.payload, t.answer({ status: 'InvalidCertificate', statusInfo: { reasonCode: 'x' } })]).to.deep.equal(['UpdateFirmware', p, { status: 'InvalidCertificate' }]);
  });

  it('OCPP 2.0.1 L01: should send an unsigned UpdateFirmware with its requestId and a firmware object (retrieveDate → retrieveDateTime)', () => {
    const t = toOcpp201('UpdateFirmware', { location: 'https://fw/x.bin', retrieveDate: '2026-12-05T00:00:00Z', retries: 2, retryInterval: 30, requestId: 9 });

    expect([t.action, t.payload]).to.deep.equal(['UpdateFirmware', { requestId: 9, firmware: { location: 'https://fw/x.bin', retrieveDateTime: '2026-12-05T00:00:00Z' }, retries: 2, retryInterval: 30 }]);
    expect(t.answer({ status: 'Rejected' })).to.deep.equal({ status: 'Rejected' });
  });

  it('OCPP 2.0.1 L02: should send an UpdateFirmware outside a campaign with the generated requestId', () => {
    const t = toOcpp201('UpdateFirmware', { location: 'https://fw/x.bin', retrieveDate: '2026-12-05T00:00:00Z' }, { remoteStartId: 1, requestId: 4711 });

    expect([t.action, t.payload]).to.deep.equal(['UpdateFirmware', { requestId: 4711, firmware: { location: 'https://fw/x.bin', retrieveDateTime: '2026-12-05T00:00:00Z' } }]);
  });
});

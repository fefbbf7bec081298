import { expect } from 'chai';
import { toOcpp201 } from '../../../src/ocpp/v201/commands.ts';
import { CONFIGURATION_KEYS, getConfiguration16, getVariables201 } from '../../../src/ocpp/v201/configuration.ts';

const HEARTBEAT = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };
const SAMPLE_INTERVAL = { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' } };

describe('unit OCPP 2.0.1 configuration keys (1.6 Get/ChangeConfiguration)', () => {
  it('OCPP201 B05: should send ChangeConfiguration of a 1.6 key as SetVariables of its variable and read each attributeStatus back', () => {
    const t = toOcpp201('ChangeConfiguration', { key: 'HeartbeatInterval', value: '300' });

    expect([t.action, t.payload, t.reply]).to.deep.equal(['SetVariables', { setVariableData: [{ ...HEARTBEAT, attributeValue: '300' }] }, undefined]);
    const read = ['Accepted', 'RebootRequired', 'Rejected', 'UnknownComponent', 'UnknownVariable', 'NotSupportedAttributeType'].map((attributeStatus) => (t.answer({ setVariableResult: [{ attributeStatus, ...HEARTBEAT }] }) as { status: string }).status);
    expect(read).to.deep.equal(['Accepted', 'RebootRequired', 'Rejected', 'NotSupported', 'NotSupported', 'NotSupported']);
  });

  it('should map the 1.6 standard keys to the 2.0.1 variables of the spec appendix (instances included)', () => {
    const named = (k: string) => { const r = CONFIGURATION_KEYS[k]; return `${r.component.name}.${r.variable.name}${r.variable.instance ? `/${r.variable.instance}` : ''}`; };
    expect(['MeterValueSampleInterval', 'LocalAuthListEnabled', 'AuthorizationCacheEnabled', 'ConnectionTimeOut', 'TransactionMessageAttempts', 'ChargeProfileMaxStackLevel', 'MeterValuesSampledData'].map(named)).to.deep.equal([
      'SampledDataCtrlr.TxUpdatedInterval', 'LocalAuthListCtrlr.Enabled', 'AuthCacheCtrlr.Enabled', 'TxCtrlr.EVConnectionTimeOut', 'OCPPCommCtrlr.MessageAttempts/TransactionEvent', 'SmartChargingCtrlr.ProfileStackLevel', 'SampledDataCtrlr.TxUpdatedMeasurands',
    ]);
  });

  it('should answer NotSupported without sending for a key 2.0.1 does not have, and keep AuthorizationKey the security mapper\'s', () => {
    const unmapped = toOcpp201('ChangeConfiguration', { key: 'VendorThing', value: '1' });
    const authKey = toOcpp201('ChangeConfiguration', { key: 'AuthorizationKey', value: 'AB'.repeat(20) });

    expect(unmapped.reply).to.deep.equal({ status: 'NotSupported' });
    expect([authKey.reply, (authKey.payload as { setVariableData: Array<{ variable: unknown }> }).setVariableData[0].variable]).to.deep.equal([undefined, { name: 'BasicAuthPassword' }]);
  });

  it('OCPP201 B06: should send GetConfiguration as GetVariables of the mapped keys and read values, readonly and unknown keys back', () => {
    const t = toOcpp201('GetConfiguration', { key: ['HeartbeatInterval', 'MeterValueSampleInterval', 'LocalAuthListEnabled', 'VendorThing'] }, { remoteStartId: 1, readOnly: new Set(['SampledDataCtrlr.TxUpdatedInterval']) });

    expect([t.action, t.payload]).to.deep.equal(['GetVariables', { getVariableData: [HEARTBEAT, SAMPLE_INTERVAL, { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Enabled' } }] }]);
    const answer = t.answer({ getVariableResult: [
      { attributeStatus: 'Accepted', attributeValue: '60', ...SAMPLE_INTERVAL },
      { attributeStatus: 'Accepted', attributeValue: '300', ...HEARTBEAT },
      { attributeStatus: 'UnknownComponent', component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Enabled' } },
    ] });
    expect(answer).to.deep.equal({
      configurationKey: [{ key: 'MeterValueSampleInterval', readonly: true, value: '60' }, { key: 'HeartbeatInterval', readonly: false, value: '300' }],
      unknownKey: ['VendorThing', 'LocalAuthListEnabled'],
    });
  });

  it('should ask every mapped key for a GetConfiguration without keys, and count a variable the station left out as unknown', () => {
    const { getVariableData, unmapped } = getVariables201({});

    expect([getVariableData.length, unmapped]).to.deep.equal([Object.keys(CONFIGURATION_KEYS).length, []]);
    expect(getConfiguration16({ getVariableResult: [] }, [HEARTBEAT], [])).to.deep.equal({ unknownKey: ['HeartbeatInterval'] });
  });

  it('should split a GetConfiguration beyond the station\'s ItemsPerMessage[GetVariables] into GetVariables parts and read their answers as one', () => {
    const t = toOcpp201('GetConfiguration', { key: ['HeartbeatInterval', 'MeterValueSampleInterval', 'LocalAuthListEnabled'] }, { remoteStartId: 1, getVariablesPerMessage: 2 });

    expect((t.parts as Array<{ getVariableData: unknown[] }>).map((p) => p.getVariableData.length)).to.deep.equal([2, 1]);
    const answers = [
      { getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: '300', ...HEARTBEAT }, { attributeStatus: 'Accepted', attributeValue: '60', ...SAMPLE_INTERVAL }] },
      { getVariableResult: [{ attributeStatus: 'Accepted', attributeValue: 'true', component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Enabled' } }] },
    ];
    expect((t.answer(t.combine?.(answers)) as { configurationKey: Array<{ key: string }> }).configurationKey.map((k) => k.key)).to.deep.equal(['HeartbeatInterval', 'MeterValueSampleInterval', 'LocalAuthListEnabled']);
    expect(toOcpp201('GetConfiguration', { key: ['HeartbeatInterval'] }, { remoteStartId: 1, getVariablesPerMessage: 2 }).parts).to.equal(undefined);
  });

  it('should answer a GetConfiguration of unmapped keys only without sending', () => {
    expect(toOcpp201('GetConfiguration', { key: ['NumberOfConnectors', 'SupportedFeatureProfiles'] }).reply).to.deep.equal({ unknownKey: ['NumberOfConnectors', 'SupportedFeatureProfiles'] });
  });

  it('OCPP201 N01: should send GetDiagnostics as GetLog DiagnosticsLog with the generated requestId and read the filename back', () => {
    const t = toOcpp201('GetDiagnostics', { location: 'ftp://logs/x', startTime: '2026-12-01T00:00:00Z', stopTime: '2026-12-02T00:00:00Z', retries: 2, retryInterval: 60 }, { remoteStartId: 1, requestId: 77 });

    expect([t.action, t.payload]).to.deep.equal(['GetLog', { logType: 'DiagnosticsLog', requestId: 77, log: { remoteLocation: 'ftp://logs/x', oldestTimestamp: '2026-12-01T00:00:00Z', latestTimestamp: '2026-12-02T00:00:00Z' }, retries: 2, retryInterval: 60 }]);
    expect([t.answer({ status: 'Accepted', filename: 'diag.zip' }), t.answer({ status: 'Rejected' }), t.answer({ status: 'Accepted' })]).to.deep.equal([{ fileName: 'diag.zip' }, {}, {}]);
  });
});

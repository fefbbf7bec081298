// OCPP 2.0.1 stations take the 1.6 commands a 1.6 charger takes (issue 12): Get/ChangeConfiguration as
// Get/SetVariables of the device-model variables (and so fleet configuration templates), UpdateFirmware outside
// a campaign, GetDiagnostics as GetLog DiagnosticsLog; GetTransactionStatus's answer read back.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import type { ChargerClient } from '../../helpers/charger.ts';
import { aBootedCharger201, aBootNotification201 } from '../../fixtures/ocpp201.ts';

const HEARTBEAT = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } };
const SAMPLE_INTERVAL = { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' } };

describe('e2e OCPP 2.0.1 configuration, firmware and diagnostics commands', () => {
  const t = useTestApp({ overrides: { 'maintenance.diagnosticsLocation': 'ftp://diagnostics.operator.test/upload' } });
  const open: ChargerClient[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close({ force: true });
  });
  async function aStation() {
    const s = await aBootedCharger201(t);
    open.push(s.client);
    return s;
  }
  function record(client: ChargerClient, action: string, answer: (params: any) => Record<string, unknown>): any[] {
    const got: any[] = [];
    client.handle(action, async ({ params }: { params?: unknown }) => (got.push(params), answer(params)));
    return got;
  }

  it('OCPP201 B05: should send ChangeConfiguration as SetVariables of the key\'s variable, and answer NotSupported for a key 2.0.1 does not have without sending', async () => {
    const { id, client } = await aStation();
    const sent = record(client, 'SetVariables', (p) => ({ setVariableResult: p.setVariableData.map((d: any) => ({ attributeStatus: 'RebootRequired', component: d.component, variable: d.variable })) }));

    const mapped = await t.api('POST', `/api/v1/chargers/${id}/commands/ChangeConfiguration`, { key: 'MeterValueSampleInterval', value: '60' });
    const unmapped = await t.api('POST', `/api/v1/chargers/${id}/commands/ChangeConfiguration`, { key: 'VendorSpecificThing', value: '1' });

    expect([mapped.status, mapped.body.response, unmapped.status, unmapped.body.response]).to.deep.equal([200, { status: 'RebootRequired' }, 200, { status: 'NotSupported' }]);
    expect(sent).to.deep.equal([{ setVariableData: [{ ...SAMPLE_INTERVAL, attributeValue: '60' }] }]);
  });

  it('OCPP201 B06: should send GetConfiguration as GetVariables and read values, readonly (from the device model) and unknown keys back', async () => {
    // Arrange: the station reported HeartbeatInterval ReadOnly in its device model
    const { id, client } = await aStation();
    await client.call('NotifyReport', { requestId: 1, generatedAt: new Date().toISOString(), seqNo: 0, reportData: [{ ...HEARTBEAT, variableAttribute: [{ type: 'Actual', value: '300', mutability: 'ReadOnly' }] }] });
    const sent = record(client, 'GetVariables', (p) => ({ getVariableResult: p.getVariableData.map((d: any) => (d.component.name === 'LocalAuthListCtrlr'
      ? { attributeStatus: 'UnknownComponent', component: d.component, variable: d.variable }
      : { attributeStatus: 'Accepted', attributeValue: d.variable.name === 'HeartbeatInterval' ? '300' : '15', component: d.component, variable: d.variable })) }));

    // Act
    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/GetConfiguration`, { key: ['HeartbeatInterval', 'MeterValueSampleInterval', 'LocalAuthListEnabled', 'NumberOfConnectors'] });

    // Assert
    expect(res.status).to.equal(200);
    expect(sent).to.deep.equal([{ getVariableData: [HEARTBEAT, SAMPLE_INTERVAL, { component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Enabled' } }] }]);
    expect(res.body.response).to.deep.equal({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: true, value: '300' }, { key: 'MeterValueSampleInterval', readonly: false, value: '15' }],
      unknownKey: ['NumberOfConnectors', 'LocalAuthListEnabled'],
    });
  });

  it('OCPP201 B06: should ask at most the station\'s ItemsPerMessage[GetVariables] per GetVariables, one after the other, and answer them as one', async () => {
    const { id, client } = await aStation();
    await client.call('NotifyReport', { requestId: 1, generatedAt: new Date().toISOString(), seqNo: 0, reportData: [{ component: { name: 'DeviceDataCtrlr' }, variable: { name: 'ItemsPerMessage', instance: 'GetVariables' }, variableAttribute: [{ type: 'Actual', value: '2', mutability: 'ReadOnly' }] }] });
    const sent = record(client, 'GetVariables', (p) => ({ getVariableResult: p.getVariableData.map((d: any) => ({ attributeStatus: 'Accepted', attributeValue: '1', component: d.component, variable: d.variable })) }));

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/GetConfiguration`, { key: ['HeartbeatInterval', 'MeterValueSampleInterval', 'ResetRetries', 'WebSocketPingInterval', 'VendorThing'] });

    expect(res.status).to.equal(200);
    expect(sent.map((p) => p.getVariableData.length)).to.deep.equal([2, 2]);
    expect(res.body.response).to.deep.equal({
      configurationKey: ['HeartbeatInterval', 'MeterValueSampleInterval', 'ResetRetries', 'WebSocketPingInterval'].map((key) => ({ key, readonly: false, value: '1' })),
      unknownKey: ['VendorThing'],
    });
  });

  it('should apply a fleet configuration template to a 2.0.1 station (SetVariables per key) and show it in sync', async () => {
    // Arrange: a station of its own model
    const { id, client } = await aStation();
    const vendor = `V201${Math.random().toString(36).slice(2, 6)}`;
    await client.call('BootNotification', aBootNotification201({ vendorName: vendor, model: 'X2' }));
    const sent = record(client, 'SetVariables', (p) => ({ setVariableResult: p.setVariableData.map((d: any) => ({ attributeStatus: 'Accepted', component: d.component, variable: d.variable })) }));
    const { body: template } = await t.api('POST', '/api/v1/configuration-templates', { name: `t-${vendor}`, vendor, model: 'X2', keys: { HeartbeatInterval: '600', LocalAuthListEnabled: 'true', VendorOnly: 'x' } });

    // Act
    const applied = await t.api('POST', `/api/v1/configuration-templates/${template.id}/apply`, {});
    const drift = (await t.api('GET', `/api/v1/configuration-templates/${template.id}/drift`)).body.data;

    // Assert
    expect(applied.body.data.find((r: any) => r.chargePointId === id).keys.map((k: any) => [k.key, k.status]).sort()).to.deep.equal([['HeartbeatInterval', 'Accepted'], ['LocalAuthListEnabled', 'Accepted'], ['VendorOnly', 'NotSupported']]);
    expect(sent.map((p) => p.setVariableData[0]).sort((a, b) => a.component.name.localeCompare(b.component.name))).to.deep.equal([{ component: { name: 'LocalAuthListCtrlr' }, variable: { name: 'Enabled' }, attributeValue: 'true' }, { ...HEARTBEAT, attributeValue: '600' }]);
    expect(drift.find((c: any) => c.chargePointId === id).keys.map((k: any) => [k.key, k.state]).sort()).to.deep.equal([['HeartbeatInterval', 'IN_SYNC'], ['LocalAuthListEnabled', 'IN_SYNC'], ['VendorOnly', 'UNKNOWN']]);
  });

  it('OCPP201 L02: should send UpdateFirmware outside a campaign with a generated requestId and take its FirmwareStatusNotification', async () => {
    const { id, client } = await aStation();
    const sent = record(client, 'UpdateFirmware', () => ({ status: 'Accepted' }));

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/UpdateFirmware`, { location: 'https://fw.example.test/x.bin', retrieveDate: '2026-12-05T04:00:00.000Z', retries: 3, retryInterval: 60 });
    const status = await client.call('FirmwareStatusNotification', { status: 'Downloading', requestId: sent[0]?.requestId });

    expect([res.status, res.body.response]).to.deep.equal([200, { status: 'Accepted' }]);
    expect(sent).to.have.length(1);
    expect(sent[0]).to.deep.include({ firmware: { location: 'https://fw.example.test/x.bin', retrieveDateTime: '2026-12-05T04:00:00.000Z' }, retries: 3, retryInterval: 60 });
    expect(Number.isInteger(sent[0].requestId) && sent[0].requestId > 0).to.equal(true);
    expect(status).to.deep.equal({});
  });

  it('OCPP201 N01: should send a diagnostics request as GetLog DiagnosticsLog to the upload location, keep the file name and follow LogStatusNotification', async () => {
    // Arrange: a security log request of the same station, whose notifications are not the diagnostics request's
    const { id, client } = await aStation();
    const sent = record(client, 'GetLog', () => ({ status: 'Accepted', filename: 'diag-201.zip' }));
    const { body: securityLog } = await t.api('POST', '/api/v1/log-requests', { chargePointId: id, logType: 'SecurityLog' });

    // Act
    const created = await t.api('POST', '/api/v1/diagnostics', { chargePointId: id, startTime: '2026-12-01T00:00:00.000Z' });
    const requestId = sent.find((p) => p.logType === 'DiagnosticsLog')?.requestId;
    await client.call('LogStatusNotification', { status: 'Uploading', requestId });
    const uploading = (await t.api('GET', `/api/v1/diagnostics/${created.body.id}`)).body.status;
    await client.call('LogStatusNotification', { status: 'UploadFailure', requestId: securityLog.id });
    const afterSecurityLog = (await t.api('GET', `/api/v1/diagnostics/${created.body.id}`)).body.status;
    await client.call('LogStatusNotification', { status: 'Uploaded', requestId });

    // Assert
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ status: 'REQUESTED', fileName: 'diag-201.zip' });
    expect(sent.filter((p) => p.logType === 'DiagnosticsLog')).to.have.length(1);
    expect(sent.find((p) => p.logType === 'DiagnosticsLog')).to.deep.include({ log: { remoteLocation: 'ftp://diagnostics.operator.test/upload', oldestTimestamp: '2026-12-01T00:00:00.000Z' } });
    expect([uploading, afterSecurityLog, (await t.api('GET', `/api/v1/diagnostics/${created.body.id}`)).body.status]).to.deep.equal(['Uploading', 'Uploading', 'Uploaded']);
  });

  it('OCPP201 E14: should send GetTransactionStatus as it is and answer the station\'s ongoingIndicator and messagesInQueue', async () => {
    const { id, client } = await aStation();
    const sent = record(client, 'GetTransactionStatus', () => ({ ongoingIndicator: true, messagesInQueue: false }));

    const res = await t.api('POST', `/api/v1/chargers/${id}/commands/GetTransactionStatus`, { transactionId: 'tx-1' });
    const bad = await t.api('POST', `/api/v1/chargers/${id}/commands/GetTransactionStatus`, { transactionId: 5 });

    expect([res.status, res.body.response]).to.deep.equal([200, { ongoingIndicator: true, messagesInQueue: false }]);
    expect(sent).to.deep.equal([{ transactionId: 'tx-1' }]);
    expect(bad.status).to.equal(400);
  });
});

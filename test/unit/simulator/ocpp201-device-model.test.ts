import { expect } from 'chai';
import { createOcppValidator } from '../../../src/ocpp/validate.ts';
import { DeviceModel } from '../../../src/simulator/ocpp201/device-model.ts';

const ocpp = createOcppValidator('ocpp2.0.1');
const v = (component: string, variable: string, instance?: string) => ({ component: { name: component }, variable: { name: variable, ...(instance ? { instance } : {}) } });
const defaults = { 'OCPPCommCtrlr/HeartbeatInterval': '300', 'SecurityCtrlr/SecurityProfile': '1', 'SampledDataCtrlr/TxUpdatedMeasurands': 'Energy.Active.Import.Register', 'OCPPCommCtrlr/MessageAttempts/TransactionEvent': '3' };
const aDeviceModel = () => new DeviceModel(defaults, { 'SecurityCtrlr/BasicAuthPassword': 'secret-password-1' });

describe('simulator/ocpp201/device-model', () => {
  it('OCPP 2.0.1 B06: should read variables by component, variable and instance, never a write-only one', () => {
    const m = aDeviceModel();
    const results = [v('OCPPCommCtrlr', 'HeartbeatInterval'), v('OCPPCommCtrlr', 'MessageAttempts', 'TransactionEvent'), v('OCPPCommCtrlr', 'MessageAttempts'), v('SecurityCtrlr', 'BasicAuthPassword'), v('Nope', 'X'), v('TxCtrlr', 'EVConnectionTimeOut')].map((d) => m.get(d));
    expect(results.map((r) => r.attributeValue ?? r.attributeStatus)).to.deep.equal(['300', '3', 'UnknownVariable', 'Rejected', 'UnknownComponent', 'UnknownVariable']);
    expect(() => ocpp.check('GetVariables', 'conf', { getVariableResult: results })).not.to.throw();
  });

  it('OCPP 2.0.1 B05: should set a ReadWrite variable with a valid value and refuse read-only ones and bad values, changing nothing then', () => {
    const m = aDeviceModel();
    const set = (d: object, attributeValue: string) => m.set({ ...(d as ReturnType<typeof v>), attributeValue });
    const outcomes = [set(v('OCPPCommCtrlr', 'HeartbeatInterval'), '60'), set(v('OCPPCommCtrlr', 'HeartbeatInterval'), 'soon'), set(v('SecurityCtrlr', 'SecurityProfile'), '2'), set(v('SampledDataCtrlr', 'TxUpdatedMeasurands'), 'SoC,Bogus'), set(v('SecurityCtrlr', 'BasicAuthPassword'), 'short')];
    expect(outcomes.map((o) => [o.result.attributeStatus, o.changedKey])).to.deep.equal([['Accepted', 'OCPPCommCtrlr/HeartbeatInterval'], ['Rejected', undefined], ['Rejected', undefined], ['Rejected', undefined], ['Rejected', undefined]]);
    expect([m.number('OCPPCommCtrlr/HeartbeatInterval'), m.value('SecurityCtrlr/SecurityProfile'), m.list('SampledDataCtrlr/TxUpdatedMeasurands'), m.value('SecurityCtrlr/BasicAuthPassword')]).to.deep.equal([60, '1', ['Energy.Active.Import.Register'], 'secret-password-1']);
    // the defaults are shared by a fleet: a change stays with its station
    expect(aDeviceModel().number('OCPPCommCtrlr/HeartbeatInterval')).to.equal(300);
  });

  it('OCPP 2.0.1 B07: should report every variable it has (ConfigurationInventory: the settable ones), without the value of a write-only one', () => {
    const m = aDeviceModel();
    const full = m.report('FullInventory');
    const config = m.report('ConfigurationInventory');
    expect(full.map((d) => `${d.component.name}.${d.variable.name}${d.variable.instance ? `.${d.variable.instance}` : ''}`)).to.deep.equal(['OCPPCommCtrlr.HeartbeatInterval', 'OCPPCommCtrlr.MessageAttempts.TransactionEvent', 'SecurityCtrlr.BasicAuthPassword', 'SecurityCtrlr.SecurityProfile', 'SampledDataCtrlr.TxUpdatedMeasurands']);
    expect(config.map((d) => d.variable.name)).to.not.include('SecurityProfile');
    expect(full[2].variableAttribute).to.deep.equal([{ type: 'Actual', mutability: 'WriteOnly', persistent: true, constant: false }]);
    expect(() => ocpp.check('NotifyReport', 'req', { requestId: 1, generatedAt: '2026-03-02T08:00:00Z', seqNo: 0, reportData: full })).not.to.throw();
  });

  it('should refuse a variable it does not define at construction (a typo in the fleet defaults)', () => {
    expect(() => new DeviceModel({ 'OCPPCommCtrlr/HeartBeatInterval': '1' })).to.throw('unknown device model variable OCPPCommCtrlr/HeartBeatInterval');
  });
});

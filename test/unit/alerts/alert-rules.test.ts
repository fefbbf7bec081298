import { expect } from 'chai';
import { faultAlert, reconcile, type RuleAlert } from '../../../src/alerts/alert-rules.ts';

const holding = (subject: string): RuleAlert => ({ kind: 'CONNECTOR_STUCK', severity: 'warning', subject, message: subject });

describe('alert rules', () => {
  it('should open the conditions without an open alert and close the alerts whose condition ended', () => {
    const open = [{ id: 1, subject: 'connector:A:1:Preparing' }, { id: 2, subject: 'connector:B:1:Finishing' }];

    const { toOpen, toClose } = reconcile(open, [holding('connector:A:1:Preparing'), holding('connector:C:2:Preparing')]);

    expect(toOpen.map((a) => a.subject)).to.deep.equal(['connector:C:2:Preparing']);
    expect(toClose).to.deep.equal([2]);
  });

  it('OCPP16 §4.9: should make a fault of the whole charger (connectorId 0) critical and an error code on a usable connector a warning', () => {
    const base = { chargePointId: 'CP1', kind: 'ERROR_CODE' as const, info: null };

    const whole = faultAlert({ ...base, connectorNumber: 0, errorCode: 'PowerMeterFailure', connectorStatus: null });
    const usable = faultAlert({ ...base, connectorNumber: 2, errorCode: 'HighTemperature', connectorStatus: 'Charging' });

    expect([whole.severity, whole.subject, whole.message]).to.deep.equal(['critical', 'fault:CP1:0:PowerMeterFailure', 'charger reports PowerMeterFailure']);
    expect([usable.severity, usable.subject]).to.deep.equal(['warning', 'fault:CP1:2:HighTemperature']);
  });

  it('should make an OFFLINE fault one CHARGER_OFFLINE alert per charger', () => {
    const a = faultAlert({ chargePointId: 'CP1', connectorNumber: 0, kind: 'OFFLINE', errorCode: 'Offline', info: null, connectorStatus: null });

    expect([a.kind, a.severity, a.subject]).to.deep.equal(['CHARGER_OFFLINE', 'critical', 'charger:CP1']);
  });
});

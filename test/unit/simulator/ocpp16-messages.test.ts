import { expect } from 'chai';
import { createOcppValidator } from '../../../src/ocpp/validate.ts';
import type { ConnectorView, MeterSample } from '../../../src/simulator/model/types.ts';
import { Ocpp16Configuration } from '../../../src/simulator/ocpp16/configuration.ts';
import { compositeResponse, connectorStatus, meterValue, toProfile } from '../../../src/simulator/ocpp16/messages.ts';

// The server's validator plays the official schemas here: what the simulator sends must pass them.
const ocpp = createOcppValidator('ocpp1.6');
const view = (o: Partial<ConnectorView>): ConnectorView => ({ id: 1, operative: true, faulted: false, evPlugged: false, awaitingPlug: false, reserved: false, finishing: false, currentA: 0, phases: 0, powerW: 0, energyWh: 0, ...o });
const tx = { ref: 'r', connectorId: 1, idTag: 'T', startedAt: 0, meterStartWh: 0 };

describe('simulator/ocpp16/messages', () => {
  it('OCPP16 §4.9: should derive the connector status from its state', () => {
    const cases: Array<[Partial<ConnectorView>, string]> = [
      [{}, 'Available'],
      [{ evPlugged: true }, 'Preparing'],
      [{ awaitingPlug: true }, 'Preparing'],
      [{ evPlugged: true, tx, chargingState: 'Charging' }, 'Charging'],
      [{ evPlugged: true, tx, chargingState: 'SuspendedEVSE' }, 'SuspendedEVSE'],
      [{ evPlugged: true, tx, chargingState: 'SuspendedEV' }, 'SuspendedEV'],
      [{ evPlugged: true, finishing: true }, 'Finishing'],
      [{ reserved: true }, 'Reserved'],
      [{ operative: false }, 'Unavailable'],
      [{ evPlugged: true, tx, operative: false, chargingState: 'Charging' }, 'Charging'],
    ];
    expect(cases.map(([v]) => connectorStatus(view(v)))).to.deep.equal(cases.map(([, s]) => s));
  });

  it('OCPP16 §4.7 MeterValues: should report the register in Wh, the power in W, the current per phase and the SoC, valid against the schema', () => {
    // Arrange
    const sample: MeterSample = { at: Date.parse('2026-03-02T08:00:00Z'), energyWh: 12_345, powerW: 3680.4, currentsA: [16, 0, 0], voltageV: 230, socPct: 55.7, context: 'Sample.Periodic' };
    // Act
    const mv = meterValue(sample, ['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', 'SoC']);
    // Assert
    expect(mv.sampledValue.map((v) => [v.measurand, v.phase ?? '', v.value, v.unit])).to.deep.equal([
      ['Energy.Active.Import.Register', '', '12345', 'Wh'],
      ['Power.Active.Import', '', '3680', 'W'],
      ['Current.Import', 'L1', '16.0', 'A'],
      ['Current.Import', 'L2', '0.0', 'A'],
      ['Current.Import', 'L3', '0.0', 'A'],
      ['SoC', '', '55', 'Percent'],
    ]);
    expect(() => ocpp.check('MeterValues', 'req', { connectorId: 1, transactionId: 3, meterValue: [mv] })).not.to.throw();
  });

  it('should convert an OCPP 1.6 charging profile and a composite schedule both ways', () => {
    const p = toProfile(1, { chargingProfileId: 4, stackLevel: 2, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Recurring', recurrencyKind: 'Daily', chargingSchedule: { chargingRateUnit: 'W', startSchedule: '2026-03-02T00:00:00Z', chargingSchedulePeriod: [{ startPeriod: 3600, limit: 7000 }, { startPeriod: 0, limit: 11000, numberPhases: 3 }] } }, undefined, 0);
    expect([p.purpose, p.recurrency, p.schedule.startSchedule, p.schedule.periods.map((x) => x.startPeriod)]).to.deep.equal(['TxDefault', 'Daily', Date.parse('2026-03-02T00:00:00Z'), [0, 3600]]);
    const conf = compositeResponse(1, { startSchedule: 0, durationSec: 60, unit: 'A', periods: [{ startPeriod: 0, limit: 10.1 }] });
    expect(() => ocpp.check('GetCompositeSchedule', 'conf', conf)).not.to.throw();
  });
});

describe('simulator/ocpp16/configuration', () => {
  const config = () => new Ocpp16Configuration({ HeartbeatInterval: '300', NumberOfConnectors: '2', AuthorizationKey: 'secret-key-1', MeterValuesSampledData: 'Energy.Active.Import.Register' });

  it('OCPP16 §5.8: should list every key (the write-only AuthorizationKey without its value) and name unknown ones', () => {
    expect(config().get(undefined).configurationKey).to.deep.equal([
      { key: 'HeartbeatInterval', readonly: false, value: '300' },
      { key: 'NumberOfConnectors', readonly: true, value: '2' },
      { key: 'AuthorizationKey', readonly: false },
      { key: 'MeterValuesSampledData', readonly: false, value: 'Energy.Active.Import.Register' },
    ]);
    expect(config().get(['HeartbeatInterval', 'Nope'])).to.deep.equal({ configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }], unknownKey: ['Nope'] });
  });

  it('OCPP16 §5.3: should accept a valid change and refuse read-only keys, bad values and unknown keys', () => {
    const c = config();
    expect([
      c.change('HeartbeatInterval', '60'),
      c.change('HeartbeatInterval', 'soon'),
      c.change('NumberOfConnectors', '3'),
      c.change('MeterValuesSampledData', 'Power.Active.Import,SoC'),
      c.change('MeterValuesSampledData', 'Temperature'),
      c.change('AuthorizationKey', 'short'),
      c.change('Nope', '1'),
    ]).to.deep.equal(['Accepted', 'Rejected', 'Rejected', 'Accepted', 'Rejected', 'Rejected', 'NotSupported']);
    expect([c.number('HeartbeatInterval'), c.list('MeterValuesSampledData')]).to.deep.equal([60, ['Power.Active.Import', 'SoC']]);
  });
});

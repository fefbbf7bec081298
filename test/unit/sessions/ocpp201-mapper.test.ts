import { expect } from 'chai';
import type { MeterValueType } from '../../../src/ocpp/v201/types.ts';
import { meterValues16, registerWh, stopReason16 } from '../../../src/sessions/ocpp201.mapper.ts';

describe('unit OCPP 2.0.1 transaction mappers', () => {
  const ts = '2026-12-01T10:00:00Z';

  it('OCPP201 §2.53 UnitOfMeasure: should apply the multiplier and keep measurand, phase, context and unit', () => {
    const out = meterValues16([{ timestamp: ts, sampledValue: [{ value: 12.5, measurand: 'Energy.Active.Import.Register', context: 'Sample.Periodic', unitOfMeasure: { unit: 'kWh', multiplier: 3 } }, { value: 230, measurand: 'Voltage', phase: 'L1-N', unitOfMeasure: { unit: 'V' } }] }]);

    expect(out).to.deep.equal([{ timestamp: ts, sampledValue: [{ value: '12500', measurand: 'Energy.Active.Import.Register', context: 'Sample.Periodic', unit: 'kWh' }, { value: '230', measurand: 'Voltage', phase: 'L1-N', unit: 'V' }] }]);
  });

  it('should drop a sample whose unit 1.6 does not know, and a meter value left empty', () => {
    expect(meterValues16([{ timestamp: ts, sampledValue: [{ value: 1, unitOfMeasure: { unit: 'Furlongs' } }] }])).to.deep.equal([]);
  });

  it('should read the last total energy register in Wh (kWh scaled, per-phase ignored), or undefined', () => {
    const mv: MeterValueType[] = [
      { timestamp: ts, sampledValue: [{ value: 1.5, unitOfMeasure: { unit: 'kWh' } }, { value: 99, measurand: 'Energy.Active.Import.Register', phase: 'L1' }] },
      { timestamp: ts, sampledValue: [{ value: 2000, measurand: 'Energy.Active.Import.Register' }] },
    ];

    expect([registerWh(mv.slice(0, 1)), registerWh(mv), registerWh(undefined)]).to.deep.equal([1500, 2000, undefined]);
  });

  it('OCPP201 §2.45 signedMeterValue: should give the reading and a SignedData sample of the same key with its signing', () => {
    const signedMeterValue = { signedMeterData: 'QUJD', signingMethod: 'ECDSA', encodingMethod: 'EDL', publicKey: '' };
    const mv: MeterValueType[] = [{ timestamp: ts, sampledValue: [{ value: 2000, context: 'Transaction.Begin', unitOfMeasure: { unit: 'Wh' }, signedMeterValue }] }];

    const out = meterValues16(mv);

    expect(out[0]!.sampledValue).to.deep.equal([
      { value: '2000', context: 'Transaction.Begin', unit: 'Wh' },
      { value: 'QUJD', context: 'Transaction.Begin', unit: 'Wh', format: 'SignedData', signing: { encodingMethod: 'EDL', signingMethod: 'ECDSA', publicKey: null } },
    ]);
    expect(registerWh(mv)).to.equal(2000);
  });

  it('OCPP201 E06: should keep the stop reasons 1.6 knows, turn ImmediateReset into HardReset and the rest into Other', () => {
    expect([stopReason16(undefined), stopReason16('EVDisconnected'), stopReason16('ImmediateReset'), stopReason16('SOCLimitReached')]).to.deep.equal(['Local', 'EVDisconnected', 'HardReset', 'Other']);
  });
});

import { expect } from 'chai';
import { InvalidInput } from '../../../src/shared/errors.ts';
import { flattenMeterValues, latestEnergyRegisterWh, toDecimalString, toWh, type MeterValue } from '../../../src/sessions/meter-values.ts';

describe('unit sessions/meter-values', () => {
  describe('toDecimalString', () => {
    const cases: Array<[string, string | null]> = [
      ['12.750', '12.750'],
      ['+5', '5'],
      [' 42 ', '42'],
      ['.5', '.5'],
      ['-0.25', '-0.25'],
      ['1.5e3', '1500.000000'],
      ['abc', null],
      ['', null],
      ['1,5', null],
      // no meter reading: kept as text only, never a numeric that overflows or poisons sums
      ['1e400', null],
      ['1e21', null],
      ['1'.repeat(41), null],
    ];
    for (const [raw, expected] of cases) {
      it(`should read ${JSON.stringify(raw)} as ${JSON.stringify(expected)}`, () => {
        expect(toDecimalString(raw)).to.equal(expected);
      });
    }
  });

  describe('toWh', () => {
    const cases: Array<[string, string | null, number | null]> = [
      ['1234', 'Wh', 1234],
      ['1234', null, 1234],
      ['1234.4', 'Wh', 1234],
      ['1234.5', 'Wh', 1235],
      ['12.3454', 'kWh', 12345],
      ['12.3455', 'kWh', 12346],
      ['0.001', 'kWh', 1],
      ['7', 'kWh', 7000],
      ['.5', 'kWh', 500],
      ['-1.5', 'kWh', -1500],
      ['100', 'varh', null],
      ['100', 'W', null],
      // beyond 2^53 Wh a reading is no longer exact
      ['9007199254740993', 'Wh', null],
      ['9007199254740.993', 'kWh', null],
    ];
    for (const [value, unit, expected] of cases) {
      it(`OCPP16 §7.45 UnitOfMeasure: should convert ${value} ${unit ?? '(no unit)'} to ${expected} Wh, rounding half up`, () => {
        expect(toWh(value, unit)).to.equal(expected);
      });
    }
  });

  describe('flattenMeterValues', () => {
    it('OCPP16 §7.43 SampledValue: should apply the spec defaults (measurand, context, format, location, Wh)', () => {
      const mv: MeterValue[] = [{ timestamp: '2026-01-01T00:00:00Z', sampledValue: [{ value: '100' }] }];

      expect(flattenMeterValues(mv)).to.deep.equal([
        { timestamp: new Date('2026-01-01T00:00:00Z'), measurand: 'Energy.Active.Import.Register', phase: null, unit: 'Wh', location: 'Outlet', context: 'Sample.Periodic', format: 'Raw', value: '100', numeric: '100' },
      ]);
    });

    it('should refuse an impossible timestamp naming the meter value it is in', () => {
      const mv: MeterValue[] = [
        { timestamp: '2026-01-01T00:00:00Z', sampledValue: [{ value: '100' }] },
        { timestamp: '0000-01-01T00:00:00Z', sampledValue: [{ value: '200' }] },
      ];

      expect(() => flattenMeterValues(mv, 'transactionData')).to.throw(InvalidInput, /^transactionData\[1\]\.timestamp: /);
    });

    it('should keep every measurand, phase and unit as sent, and no number for SignedData', () => {
      const mv: MeterValue[] = [
        {
          timestamp: '2026-01-01T00:00:00Z',
          sampledValue: [
            { value: '230.4', measurand: 'Voltage', phase: 'L1-N', unit: 'V', location: 'Inlet' },
            { value: '16', measurand: 'Current.Import', phase: 'L2', unit: 'A' },
            { value: '0xDEADBEEF', format: 'SignedData', context: 'Transaction.End' },
            { value: '1.2', measurand: 'Energy.Reactive.Import.Register', unit: 'kvarh' },
          ],
        },
      ];

      const out = flattenMeterValues(mv).map((s) => [s.measurand, s.phase, s.unit, s.location, s.format, s.numeric]);

      expect(out).to.deep.equal([
        ['Voltage', 'L1-N', 'V', 'Inlet', 'Raw', '230.4'],
        ['Current.Import', 'L2', 'A', 'Outlet', 'Raw', '16'],
        ['Energy.Active.Import.Register', null, 'Wh', 'Outlet', 'SignedData', null],
        ['Energy.Reactive.Import.Register', null, 'kvarh', 'Outlet', 'Raw', '1.2'],
      ]);
    });
  });

  describe('latestEnergyRegisterWh', () => {
    const sample = (ts: string, sv: MeterValue['sampledValue']) => flattenMeterValues([{ timestamp: ts, sampledValue: sv }]);

    it('should take the latest total register reading, in Wh', () => {
      const samples = [...sample('2026-01-01T00:10:00Z', [{ value: '2', unit: 'kWh' }]), ...sample('2026-01-01T00:05:00Z', [{ value: '3000' }])];

      expect(latestEnergyRegisterWh(samples)).to.deep.equal({ wh: 2000, at: new Date('2026-01-01T00:10:00Z') });
    });

    it('should ignore per-phase, inlet, non-numeric and other measurand readings', () => {
      const samples = sample('2026-01-01T00:10:00Z', [
        { value: '900', phase: 'L1' },
        { value: '800', location: 'Inlet' },
        { value: 'abc', format: 'SignedData' },
        { value: '700', measurand: 'Energy.Active.Export.Register' },
        { value: '600' },
      ]);

      expect(latestEnergyRegisterWh(samples)?.wh).to.equal(600);
    });

    it('should return undefined without a usable register reading', () => {
      expect(latestEnergyRegisterWh(sample('2026-01-01T00:00:00Z', [{ value: '11', measurand: 'Power.Active.Import', unit: 'kW' }]))).to.equal(undefined);
    });
  });
});

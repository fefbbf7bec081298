import { expect } from 'chai';
import { InvalidInput } from '../../../src/shared/errors.ts';
import { energyRegisterReadings, flattenMeterValues, latestEnergyRegisterWh, storableMeterValues, toDecimalString, toWh, type MeterValue } from '../../../src/sessions/meter-values.ts';

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

    it('should sum the per-phase registers of a meter that reports no total', () => {
      const samples = [
        ...sample('2026-01-01T00:05:00Z', [{ value: '1000', phase: 'L1' }, { value: '1100', phase: 'L2' }, { value: '1200', phase: 'L3' }]),
        ...sample('2026-01-01T00:10:00Z', [{ value: '1.5', phase: 'L1-N', unit: 'kWh' }, { value: '1.6', phase: 'L2-N', unit: 'kWh' }, { value: '1.7', phase: 'L3-N', unit: 'kWh' }]),
      ];

      expect(latestEnergyRegisterWh(samples)).to.deep.equal({ wh: 4800, at: new Date('2026-01-01T00:10:00Z') });
    });

    it('should return undefined without a usable register reading', () => {
      expect(latestEnergyRegisterWh(sample('2026-01-01T00:00:00Z', [{ value: '11', measurand: 'Power.Active.Import', unit: 'kW' }]))).to.equal(undefined);
    });
  });

  describe('energyRegisterReadings', () => {
    const at = (ts: string, sv: MeterValue['sampledValue']) => flattenMeterValues([{ timestamp: ts, sampledValue: sv }]);
    const T1 = '2026-01-01T00:05:00Z';
    const T2 = '2026-01-01T00:10:00Z';
    const cases: Array<{ name: string; samples: ReturnType<typeof at>; expected: Array<[string, number]> }> = [
      { name: 'a total wins over the per-phase registers at the same timestamp', samples: at(T1, [{ value: '900', phase: 'L1' }, { value: '5000' }, { value: '800', phase: 'L2' }]), expected: [[T1, 5000]] },
      { name: 'per-phase registers L1, L2, L3 are summed', samples: at(T1, [{ value: '100', phase: 'L1' }, { value: '200', phase: 'L2' }, { value: '300', phase: 'L3' }]), expected: [[T1, 600]] },
      { name: 'L1 and L1-N are one line, counted once', samples: at(T1, [{ value: '100', phase: 'L1' }, { value: '100', phase: 'L1-N' }, { value: '200', phase: 'L2-N' }]), expected: [[T1, 300]] },
      { name: 'a single-phase meter reporting L1 only', samples: at(T1, [{ value: '2.5', phase: 'L1', unit: 'kWh' }]), expected: [[T1, 2500]] },
      { name: 'N and line-to-line phases are no line register', samples: at(T1, [{ value: '100', phase: 'N' }, { value: '200', phase: 'L1-L2' }, { value: '300', phase: 'L3' }]), expected: [[T1, 300]] },
      { name: 'inlet (grid side) readings are left out', samples: at(T1, [{ value: '100', phase: 'L1', location: 'Inlet' }, { value: '200', phase: 'L2' }]), expected: [[T1, 200]] },
      {
        name: 'each timestamp on its own, in time order, a total at one and phases at another',
        samples: [...at(T2, [{ value: '700', phase: 'L1' }, { value: '800', phase: 'L2' }]), ...at(T1, [{ value: '1000' }])],
        expected: [[T1, 1000], [T2, 1500]],
      },
      { name: 'other measurands and units that are no energy are left out', samples: at(T1, [{ value: '100', phase: 'L1', measurand: 'Energy.Active.Export.Register' }, { value: '100', phase: 'L1', unit: 'varh' }]), expected: [] },
    ];
    for (const c of cases) {
      it(`should read ${c.name}`, () => {
        expect(energyRegisterReadings(c.samples).map((r) => [r.at.toISOString().replace('.000', ''), r.wh])).to.deep.equal(c.expected);
      });
    }
  });
  describe('storableMeterValues', () => {
    it('should leave out the sampled values holding a NUL character, keep every meter value and count what it left out', () => {
      const mv: MeterValue[] = [
        { timestamp: '2026-03-02T10:00:00Z', sampledValue: [{ value: '100' }, { value: 'OCMF|\u0000', format: 'SignedData' }] },
        { timestamp: '2026-03-02T11:00:00Z', sampledValue: [{ value: '\u0000' }] },
      ];

      expect(storableMeterValues(mv)).to.deep.equal({
        meterValues: [{ timestamp: '2026-03-02T10:00:00Z', sampledValue: [{ value: '100' }] }, { timestamp: '2026-03-02T11:00:00Z', sampledValue: [] }],
        dropped: 2,
      });
    });
  });
});

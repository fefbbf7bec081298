// OCPI 2.2.1 mod_cdrs: CDRs built from meter values and priced by the engine, against totals computed by hand.
import { expect } from 'chai';
import { buildCdr, buildCreditCdr, timesProblem, type CdrSources } from '../../../src/billing/cdr-builder.ts';
import type { OcpiCdr } from '../../../src/billing/cdr.types.ts';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { aCdrSources, aSample, registerSamples } from '../../fixtures/billing.ts';
import { aComponent, anElement, aTariff } from '../../fixtures/tariffs.ts';

const at = (hhmm: string, day = '2024-01-10'): string => `${day}T${hhmm}:00Z`;
const price = (excl: number, incl: number) => ({ excl_vat: excl, incl_vat: incl });

interface Case {
  name: string;
  sources: CdrSources;
  expect: Partial<OcpiCdr>;
  /** [start, dimension types → volume] per charging period. */
  periods?: Array<[string, Record<string, number>]>;
}

const energyTariff = aTariff({ elements: [anElement([aComponent('ENERGY', 0.25, { vat: 10 })])] });
const timeAndParking = aTariff({
  elements: [anElement([aComponent('TIME', 2, { vat: 21, step_size: 300 }), aComponent('PARKING_TIME', 5, { vat: 21, step_size: 300 })])],
});

const cases: Case[] = [
  {
    // 11 kWh x 0.25 = 2.75 excl; x 1.10 = 3.025 → 3.03 (half-up, currency rounding at the end)
    name: 'tariffs §11.4.2 ENERGY: should bill the register difference at the kWh price',
    sources: aCdrSources({
      tariff: energyTariff,
      session: { meterStartWh: 1000, meterStopWh: 12000 },
      samples: registerSamples([[at('10:15'), 3750], [at('10:30'), 6500], [at('10:45'), 9250]]),
    }),
    expect: { currency: 'EUR', total_cost: price(2.75, 3.03), total_energy_cost: price(2.75, 3.03), total_energy: 11, total_time: 1, total_parking_time: 0 },
    periods: [[at('10:00'), { ENERGY: 11, TIME: 1, MIN_POWER: 11, MAX_POWER: 11 }]],
  },
  {
    // charging 10:00-11:00 (1 h x 2.00 = 2.00), SuspendedEV 11:00-11:30 (0.5 h x 5.00 = 2.50); 4.50 excl,
    // incl 2.42 + 3.025 = 5.445 → 5.45 (the total is the rounded exact sum, not the sum of rounded parts)
    name: 'cdrs §10.4.3 PARKING_TIME: should count time after SuspendedEV as parking',
    sources: aCdrSources({
      tariff: timeAndParking,
      session: { meterStopWh: 11000, stopAt: new Date(at('11:30')) },
      samples: registerSamples([[at('10:30'), 5500], [at('11:00'), 11000], [at('11:15'), 11000]]),
      statuses: [{ at: new Date(at('09:59')), status: 'Charging' }, { at: new Date(at('11:00')), status: 'SuspendedEV' }],
    }),
    expect: { total_cost: price(4.5, 5.45), total_time_cost: price(2, 2.42), total_parking_cost: price(2.5, 3.03), total_time: 1.5, total_parking_time: 0.5, total_energy: 11 },
    periods: [
      [at('10:00'), { ENERGY: 11, TIME: 1, MIN_POWER: 11, MAX_POWER: 11 }],
      [at('11:00'), { PARKING_TIME: 0.5 }],
    ],
  },
  {
    // A meter that reports per-phase registers only (issue 7): their sum is the register. 11 kWh by 10:30
    // (3666 + 3667 + 3667 Wh), nothing after: charging 0.5 h x 2.00 = 1.00, parking 1 h x 5.00 = 5.00; 6.00 excl,
    // incl 1.21 + 6.05 = 7.26. Without the sum the whole 1.5 h would be charging time.
    name: 'cdrs §10.4.3: should take the sum of per-phase energy registers where the meter sends no total',
    sources: aCdrSources({
      tariff: timeAndParking,
      session: { meterStopWh: 11000, stopAt: new Date(at('11:30')) },
      samples: (['L1', 'L2', 'L3'] as const).flatMap((phase, i) => [
        aSample(at('10:30'), ['3666', '3667', '3667'][i]!, { phase, unit: 'Wh' }),
        aSample(at('11:00'), ['3.666', '3.667', '3.667'][i]!, { phase, unit: 'kWh' }),
      ]),
    }),
    expect: { total_cost: price(6, 7.26), total_time: 1.5, total_parking_time: 1, total_energy: 11 },
    periods: [
      [at('10:00'), { ENERGY: 11, TIME: 0.5, MIN_POWER: 22, MAX_POWER: 22 }],
      [at('10:30'), { PARKING_TIME: 1 }],
    ],
  },
  {
    // 2.2.1-bugfixes: the EV still requests power while the EVSE offers none (SuspendedEVSE): not parking.
    // 10:00-10:30 charging 5 kWh, 10:30-11:00 SuspendedEVSE without energy: 1 h TIME = 2.00, no parking
    name: 'cdrs §10.4.3 PARKING_TIME: should not count SuspendedEVSE without energy flow as parking',
    sources: aCdrSources({
      tariff: timeAndParking,
      session: { meterStopWh: 5000 },
      samples: registerSamples([[at('10:30'), 5000]]),
      statuses: [{ at: new Date(at('10:30')), status: 'SuspendedEVSE' }],
    }),
    expect: { total_cost: price(2, 2.42), total_parking_time: 0, total_time: 1 },
  },
  {
    // no status: 10:00-10:30 5 kWh flow = charging; 10:30-11:00 no flow = parking (0.5 h x 5 = 2.50)
    name: 'cdrs §10.4.3 PARKING_TIME: should treat time without energy flow as parking when no status says otherwise',
    sources: aCdrSources({ tariff: timeAndParking, session: { meterStopWh: 5000 }, samples: registerSamples([[at('10:30'), 5000], [at('10:45'), 5000]]) }),
    expect: { total_cost: price(3.5, 4.24), total_time_cost: price(1, 1.21), total_parking_cost: price(2.5, 3.03), total_parking_time: 0.5 },
  },
  {
    // SuspendedEV at 10:20 inside the 10:00-10:30 meter interval: all its 5 kWh before 10:20; 20 min TIME
    // (1/3 h x 2 = 0.6667) + 40 min parking (2/3 h x 5 = 3.3333) = 4.00 excl, 4.84 incl
    name: 'cdrs §10.4.3 PARKING_TIME: should split a meter interval where the status stops the request',
    sources: aCdrSources({
      tariff: timeAndParking,
      session: { meterStopWh: 5000 },
      samples: registerSamples([[at('10:30'), 5000]]),
      statuses: [{ at: new Date(at('10:20')), status: 'SuspendedEV' }],
    }),
    expect: { total_cost: price(4, 4.84), total_parking_time: 0.6667, total_energy: 5 },
    periods: [
      [at('10:00'), { ENERGY: 5, TIME: 0.3333, MIN_POWER: 15, MAX_POWER: 15 }],
      [at('10:20'), { PARKING_TIME: 0.6667 }],
    ],
  },
  {
    // Europe/Brussels is UTC+1 in January: 17:00 local = 16:00 UTC. 5 kWh x 0.20 + 5 kWh x 0.30 = 2.50
    name: 'tariffs §11.4.6 start_time: should start a new period at 17:00 local time',
    sources: aCdrSources({
      tariff: aTariff({
        elements: [
          anElement([aComponent('ENERGY', 0.3)], { start_time: '17:00', end_time: '23:00' }),
          anElement([aComponent('ENERGY', 0.2)]),
        ],
      }),
      session: { startAt: new Date(at('15:30')), stopAt: new Date(at('16:30')), meterStopWh: 10000 },
      samples: registerSamples([[at('16:00'), 5000]]),
    }),
    expect: { total_cost: price(2.5, 2.5), total_energy: 10 },
    periods: [
      [at('15:30'), { ENERGY: 5, TIME: 0.5, MIN_POWER: 10, MAX_POWER: 10 }],
      [at('16:00'), { ENERGY: 5, TIME: 0.5, MIN_POWER: 10, MAX_POWER: 10 }],
    ],
  },
  {
    // FLAT 1.00 + 11.2 kWh rounded up to 11.5 kWh by step_size 500 Wh x 0.25 = 2.875; total 3.875 → 3.88
    name: 'tariffs §11.4.2 FLAT and step_size: should add the start fee and round energy up to the step',
    sources: aCdrSources({
      tariff: aTariff({ elements: [anElement([aComponent('FLAT', 1), aComponent('ENERGY', 0.25, { step_size: 500 })])] }),
      session: { meterStopWh: 11200 },
    }),
    expect: { total_cost: price(3.88, 3.88), total_fixed_cost: price(1, 1), total_energy_cost: price(2.88, 2.88), total_energy: 11.2 },
  },
  {
    // min_price 5.00 lifts 2.75 (OCPI 2.2.1 tariffs §11.3.1 min_price)
    name: 'tariffs §11.3.1 min_price: should raise the total to the minimum price',
    sources: aCdrSources({
      tariff: aTariff({ min_price: { excl_vat: 5, incl_vat: 5.5 }, elements: energyTariff.elements }),
      session: { meterStopWh: 11000 },
    }),
    expect: { total_cost: price(5, 5.5), total_energy_cost: price(2.75, 3.03) },
  },
  {
    name: 'should price a session without a tariff snapshot at zero in the default currency',
    sources: aCdrSources({ defaultCurrency: 'CHF', session: { meterStopWh: 7000 } }),
    expect: { currency: 'CHF', total_cost: price(0, 0), total_energy: 7, total_time: 1 },
  },
  {
    // a register reading past the stop value and one going backwards are clamped: total = stop - start
    name: 'should keep total_energy equal to meterStop - meterStart with inconsistent readings',
    sources: aCdrSources({
      tariff: energyTariff,
      session: { meterStartWh: 500, meterStopWh: 4500 },
      samples: registerSamples([[at('10:15'), 3000], [at('10:30'), 2000], [at('10:45'), 9000]]),
    }),
    expect: { total_energy: 4, total_cost: price(1, 1.1) },
  },
];

describe('billing/cdr-builder', () => {
  for (const c of cases) {
    it(c.name, () => {
      const cdr = buildCdr(c.sources);
      expect(validateOcpi('CDR', cdr, { strict: true })).to.deep.equal({ ok: true });
      for (const [key, value] of Object.entries(c.expect)) expect(cdr[key as keyof OcpiCdr], key).to.deep.equal(value);
      if (c.periods) {
        const actual = cdr.charging_periods.map((p) => [p.start_date_time, Object.fromEntries(p.dimensions.map((d) => [d.type, d.volume]))]);
        expect(actual).to.deep.equal(c.periods);
      }
    });
  }

  it('cdrs §10.3.1: should fill every field it knows: token, location, meter, session, tariffs', () => {
    const tariff = energyTariff;
    const cdr = buildCdr(aCdrSources({ tariff, session: { meterStopWh: 1000, authMethod: 'AUTH_REQUEST', authorizationReference: 'REF-9' } }));
    expect(cdr).to.include({ country_code: 'NL', party_id: 'CPM', id: 'CDR-1', session_id: 'SESSION-1', auth_method: 'AUTH_REQUEST', authorization_reference: 'REF-9', meter_id: 'METER-1' });
    expect(cdr.start_date_time).to.equal('2024-01-10T10:00:00Z');
    expect(cdr.end_date_time).to.equal('2024-01-10T11:00:00Z');
    expect(cdr.last_updated).to.equal('2024-01-10T12:00:00Z');
    expect(cdr.cdr_token).to.deep.equal({ country_code: 'DE', party_id: 'TNM', uid: '012345678', type: 'RFID', contract_id: 'DE8ACC12E46L89' });
    expect(cdr.cdr_location).to.include({ id: 'LOC1', evse_uid: 'EVSE-1', evse_id: 'BE*BEC*E041503003', connector_id: '1', connector_power_type: 'AC_3_PHASE', postal_code: '9000' });
    expect(cdr.tariffs).to.deep.equal([tariff]);
    expect(cdr.charging_periods.every((p) => p.tariff_id === 'T1')).to.equal(true);
  });

  it('cdrs §10.4.6: should give a zero-length session one charging period', () => {
    const cdr = buildCdr(aCdrSources({ session: { stopAt: new Date(at('10:00')) } }));
    expect(cdr.charging_periods).to.deep.equal([{ start_date_time: at('10:00'), dimensions: [{ type: 'ENERGY', volume: 0 }] }]);
    expect(validateOcpi('CDR', cdr, { strict: true }).ok).to.equal(true);
  });

  describe('sub-second session times (engine periods are whole seconds)', () => {
    const sumOf = (cdr: OcpiCdr, type: string): number =>
      cdr.charging_periods.flatMap((p) => p.dimensions).filter((d) => d.type === type).reduce((sum, d) => sum + d.volume, 0);
    const cases: Array<[string, string, string, number]> = [
      // both ends round to 10:00:01: the engine saw a zero-length session and dropped its 5 Wh; its 0.8 s is 1 s
      ['starts after a half second and stops before the next one', '10:00:00.600', '10:00:01.400', 0.0003],
      ['lasts about one second', '10:00:00.400', '10:00:01.300', 0.0003],
      // 0.2 s is no whole second: the energy goes to a period of zero time
      ['lasts a fraction of a second inside one second', '10:00:00.100', '10:00:00.300', 0],
    ];
    for (const [name, startAt, stopAt, hours] of cases) {
      it(`should keep all energy and the time of a session that ${name}`, () => {
        const tariff = aTariff({ elements: [anElement([aComponent('ENERGY', 0.25), aComponent('TIME', 2)])] });
        const cdr = buildCdr(aCdrSources({
          tariff,
          session: { startAt: new Date(`2024-01-10T${startAt}Z`), stopAt: new Date(`2024-01-10T${stopAt}Z`), meterStartWh: 1000, meterStopWh: 1005 },
          samples: registerSamples([[`2024-01-10T${stopAt}Z`, 1005]]),
        }));
        expect(validateOcpi('CDR', cdr, { strict: true })).to.deep.equal({ ok: true });
        expect(cdr.total_energy).to.equal(0.005);
        expect(sumOf(cdr, 'ENERGY')).to.equal(0.005);
        expect(cdr.total_energy_cost).to.deep.equal(price(0, 0));
        expect(cdr.total_time).to.equal(hours);
        expect(cdr.total_parking_time).to.equal(0);
        expect(sumOf(cdr, 'TIME') + sumOf(cdr, 'PARKING_TIME')).to.equal(hours);
      });
    }
  });

  it('cdrs §10.4.5 MAX_CURRENT: should sum per-phase currents', () => {
    const samples = [
      ...registerSamples([[at('10:30'), 5000]]),
      ...['L1', 'L2', 'L3'].map((phase) => aSample(at('10:00'), '16', { measurand: 'Current.Import', unit: 'A', phase })),
      ...['L1', 'L2', 'L3'].map((phase) => aSample(at('10:30'), '10', { measurand: 'Current.Import', unit: 'A', phase })),
    ];
    const cdr = buildCdr(aCdrSources({ tariff: energyTariff, session: { meterStopWh: 10000 }, samples }));
    expect(cdr.charging_periods[0]!.dimensions).to.deep.include({ type: 'MAX_CURRENT', volume: 48 });
    expect(cdr.charging_periods[0]!.dimensions).to.deep.include({ type: 'MIN_CURRENT', volume: 30 });
  });

  it('cdrs §10.4.7 SignedData: should carry OCMF signed meter values with their nature', () => {
    const begin = aSample(at('10:00'), 'OCMF|{"RD":[{"RV":0}]}|{"SD":"3045"}', { format: 'SignedData', context: 'Transaction.Begin' });
    const end = aSample(at('11:00'), 'OCMF|{"RD":[{"RV":1.5}]}|{"SD":"3046"}', { format: 'SignedData', context: 'Transaction.End' });
    const cdr = buildCdr(aCdrSources({ session: { meterStopWh: 1500 }, samples: [end, begin] }));
    expect(cdr.signed_data?.encoding_method).to.equal('OCMF');
    expect(cdr.signed_data?.signed_values.map((v) => [v.nature, v.plain_data])).to.deep.equal([['Start', '{"RD":[{"RV":0}]}'], ['End', '{"RD":[{"RV":1.5}]}']]);
    expect(Buffer.from(cdr.signed_data!.signed_values[0]!.signed_data, 'base64').toString()).to.equal(begin.value);
    expect(validateOcpi('CDR', cdr, { strict: true }).ok).to.equal(true);
  });

  it('should leave signed_data out when the charger sent only raw values', () => {
    const cdr = buildCdr(aCdrSources({ session: { meterStopWh: 1500 }, samples: registerSamples([[at('10:30'), 700]]) }));
    expect(cdr).not.to.have.property('signed_data');
  });

  it('cdrs §10.2.1.1 credit CDR: should copy the original with id -C, credit_reference_id and negated total_cost', () => {
    const original = buildCdr(aCdrSources({ tariff: energyTariff, session: { meterStopWh: 11000 } }));
    const credit = buildCreditCdr(original, { now: new Date('2024-02-01T08:00:00Z'), remark: 'wrong meter' });
    expect(credit).to.include({ id: 'CDR-1-C', credit: true, credit_reference_id: 'CDR-1', remark: 'wrong meter', last_updated: '2024-02-01T08:00:00Z' });
    expect(credit.total_cost).to.deep.equal(price(-2.75, -3.03));
    expect(credit.total_energy_cost).to.deep.equal(original.total_energy_cost);
    expect(credit.charging_periods).to.deep.equal(original.charging_periods);
    expect(validateOcpi('CDR', credit, { strict: true })).to.deep.equal({ ok: true });
  });

  it('should refuse to credit a credit CDR', () => {
    const original = buildCdr(aCdrSources({ session: { meterStopWh: 1 } }));
    const credit = buildCreditCdr(original, { now: new Date() });
    expect(() => buildCreditCdr(credit, { now: new Date() })).to.throw(/cannot be credited/);
  });

  describe('timesProblem (a session whose times cannot be billed)', () => {
    const start = new Date('2026-01-10T10:00:00Z');
    const cases: Array<[string, string, RegExp | undefined]> = [
      ['an ordinary hour', '2026-01-10T11:00:00Z', undefined],
      ['a zero-length session', '2026-01-10T10:00:00Z', undefined],
      ['exactly the maximum of 90 days', '2026-04-10T10:00:00Z', undefined],
      ['a stop one second before the start', '2026-01-10T09:59:59Z', /^it stops \(2026-01-10T09:59:59.000Z\) before it starts \(2026-01-10T10:00:00.000Z\)/],
      ['a second more than 90 days', '2026-04-10T10:00:01Z', /^it lasts 90 days, more than billing.maxSessionDays \(90\)/],
      ['a stop in year 9999', '9999-12-31T23:59:59Z', /more than billing.maxSessionDays/],
    ];
    for (const [name, stop, problem] of cases) {
      it(`should ${problem ? 'refuse' : 'accept'} ${name}`, () => {
        const found = timesProblem(start, new Date(stop), 90);
        if (problem) expect(found).to.match(problem);
        else expect(found).to.equal(undefined);
      });
    }
  });
});

import { expect } from 'chai';
import { validateOcpi } from '../../../src/ocpi/validate.ts';
import { flattenMeterValues } from '../../../src/sessions/meter-values.ts';
import {
  buildChargingPeriods,
  isShareable,
  toEnergyReadings,
  toOcpiSession,
  toSessionPatch,
} from '../../../src/sessions/ocpi.mapper.ts';
import { evaluateChargingPreferences } from '../../../src/sessions/ocpi.preferences.ts';
import { aSession, aSessionInput, at } from '../../fixtures/ocpi-sessions.ts';

const strict = { strict: true } as const;

describe('sessions/ocpi.mapper', () => {
  describe('toOcpiSession', () => {
    it('OCPI 2.2.1 sessions §9.3.1: should map a just-started session to a valid Session', () => {
      const session = toOcpiSession(aSessionInput());

      expect(validateOcpi('Session', session, strict)).to.deep.equal({ ok: true });
      expect(session).to.deep.equal({
        country_code: 'NL',
        party_id: 'CPM',
        id: 'b9a3e0c4-0000-4000-8000-000000000001',
        start_date_time: '2026-01-05T10:00:00.000Z',
        kwh: 0,
        cdr_token: { country_code: 'DE', party_id: 'EMP', uid: 'TAG1', type: 'RFID', contract_id: 'DE-EMP-C12345678-X' },
        auth_method: 'WHITELIST',
        location_id: 'LOC1',
        evse_uid: 'EVSE1',
        connector_id: '1',
        currency: 'EUR',
        status: 'ACTIVE',
        last_updated: '2026-01-05T10:00:00.000Z',
      });
    });

    it('should map a completed session with cost, meter id, authorization reference and its own currency', () => {
      const input = aSessionInput({
        session: aSession({ status: 'COMPLETED', stopAt: at(60), meterStopWh: 12_000, energyWh: 11_000, currency: 'CHF', totalCostExclVat: '3.300000', totalCostInclVat: '3.990000', authorizationReference: 'AUTH-1', authMethod: 'AUTH_REQUEST', lastUpdated: at(61) }),
        meterId: 'MTR-42',
        readings: [{ at: at(30), wh: 6000 }],
      });

      const session = toOcpiSession(input);

      expect(validateOcpi('Session', session, strict)).to.deep.equal({ ok: true });
      expect(session).to.include({ kwh: 11, currency: 'CHF', meter_id: 'MTR-42', authorization_reference: 'AUTH-1', auth_method: 'AUTH_REQUEST', status: 'COMPLETED', end_date_time: '2026-01-05T11:00:00.000Z' });
      expect(session.total_cost).to.deep.equal({ excl_vat: 3.3, incl_vat: 3.99 });
      expect(session.charging_periods).to.deep.equal([
        { start_date_time: '2026-01-05T10:00:00.000Z', dimensions: [{ type: 'ENERGY', volume: 5 }, { type: 'TIME', volume: 0.5 }] },
        { start_date_time: '2026-01-05T10:30:00.000Z', dimensions: [{ type: 'ENERGY', volume: 6 }, { type: 'TIME', volume: 0.5 }] },
      ]);
    });

    it('should omit total_cost when no price is known (sessions §9.3.1: omitted does not mean free)', () => {
      expect(toOcpiSession(aSessionInput())).not.to.have.property('total_cost');
    });

    it('should not share a session of a charger that is not attached to a location', () => {
      expect(isShareable(aSession({ locationId: null }))).to.equal(false);
      expect(isShareable(aSession())).to.equal(true);
    });
  });

  describe('buildChargingPeriods', () => {
    const start = { at: at(0), wh: 1000 };

    it('should close a period only when a reading is at least the minimum period after its start', () => {
      const readings = [{ at: at(1), wh: 1100 }, { at: at(5), wh: 1500 }, { at: at(7), wh: 1700 }, { at: at(10), wh: 2000 }];

      const { periods, cursor } = buildChargingPeriods(start, readings, { minPeriodMs: 5 * 60_000 });

      expect(periods.map((p) => p.start_date_time)).to.deep.equal(['2026-01-05T10:00:00.000Z', '2026-01-05T10:05:00.000Z']);
      expect(periods[0]!.dimensions[0]).to.deep.equal({ type: 'ENERGY', volume: 0.5 });
      expect(periods[1]!.dimensions[0]).to.deep.equal({ type: 'ENERGY', volume: 0.5 });
      expect(cursor).to.deep.equal({ at: at(10), wh: 2000 });
    });

    it('OCPI 2.2.1 sessions §9.2.2.3: should yield only the periods after the cursor, so a PATCH appends without repeating', () => {
      const readings = [{ at: at(5), wh: 1500 }, { at: at(10), wh: 2000 }, { at: at(15), wh: 2500 }];
      const first = buildChargingPeriods(start, readings.slice(0, 2));

      const next = buildChargingPeriods(first.cursor, readings);
      const all = buildChargingPeriods(start, readings);

      expect([...first.periods, ...next.periods]).to.deep.equal(all.periods);
      expect(next.periods).to.have.length(1);
    });

    it('should close the last period at the stop and ignore readings after it', () => {
      const { periods } = buildChargingPeriods(start, [{ at: at(5), wh: 1500 }, { at: at(9), wh: 9999 }], { stop: { at: at(8), wh: 1800 } });

      expect(periods).to.have.length(2);
      expect(periods[1]).to.deep.equal({ start_date_time: '2026-01-05T10:05:00.000Z', dimensions: [{ type: 'ENERGY', volume: 0.3 }, { type: 'TIME', volume: 0.05 }] });
    });

    it('should count time without energy as parking time', () => {
      const { periods } = buildChargingPeriods(start, [{ at: at(30), wh: 1000 }]);

      expect(periods).to.deep.equal([{ start_date_time: '2026-01-05T10:00:00.000Z', dimensions: [{ type: 'PARKING_TIME', volume: 0.5 }] }]);
      expect(validateOcpi('ChargingPeriod', periods[0], strict)).to.deep.equal({ ok: true });
    });
  });

  describe('toEnergyReadings', () => {
    it('OCPP 1.6 §7.43: should keep total import register readings in Wh and drop per-phase (beside a total), inlet and other measurands', () => {
      const samples = flattenMeterValues([
        { timestamp: at(5).toISOString(), sampledValue: [{ value: '1.5', unit: 'kWh' }, { value: '700', measurand: 'Energy.Active.Import.Register', phase: 'L1' }, { value: '3000', measurand: 'Power.Active.Import', unit: 'W' }] },
        { timestamp: at(1).toISOString(), sampledValue: [{ value: '1100' }, { value: '5', location: 'Inlet' }] },
      ]);

      expect(toEnergyReadings(samples)).to.deep.equal([{ at: at(1), wh: 1100 }, { at: at(5), wh: 1500 }]);
    });

    it('should sum the per-phase registers of a meter that sends no total, as the session kWh does', () => {
      const phases = (wh: string) => ['L1', 'L2', 'L3'].map((phase) => ({ value: wh, measurand: 'Energy.Active.Import.Register' as const, phase: phase as 'L1' }));
      const samples = flattenMeterValues([{ timestamp: at(5).toISOString(), sampledValue: phases('500') }, { timestamp: at(10).toISOString(), sampledValue: phases('900') }]);

      expect(toEnergyReadings(samples)).to.deep.equal([{ at: at(5), wh: 1500 }, { at: at(10), wh: 2700 }]);
    });
  });

  describe('toSessionPatch', () => {
    it('OCPI 2.2.1 sessions §9.2.2.3: should patch kwh, status, cost and new periods with last_updated', () => {
      const s = aSession({ energyWh: 2500, totalCostExclVat: '0.8', totalCostInclVat: '0.88', lastUpdated: at(10) });
      const periods = [{ start_date_time: at(5).toISOString(), dimensions: [{ type: 'ENERGY' as const, volume: 2 }] }];

      const patch = toSessionPatch(s, periods);

      expect(patch).to.deep.equal({ kwh: 2.5, status: 'ACTIVE', last_updated: '2026-01-05T10:10:00.000Z', charging_periods: periods, total_cost: { excl_vat: 0.8, incl_vat: 0.88 } });
      expect(validateOcpi('SessionPatch', patch, strict)).to.deep.equal({ ok: true });
    });

    it('should patch status COMPLETED with end_date_time once stopped, without an empty charging_periods', () => {
      const patch = toSessionPatch(aSession({ status: 'COMPLETED', stopAt: at(20), meterStopWh: 3000, energyWh: 2000, lastUpdated: at(20) }), []);

      expect(patch).to.deep.equal({ kwh: 2, status: 'COMPLETED', end_date_time: '2026-01-05T10:20:00.000Z', last_updated: '2026-01-05T10:20:00.000Z' });
      expect(validateOcpi('SessionPatch', patch, strict)).to.deep.equal({ ok: true });
    });
  });

  describe('evaluateChargingPreferences', () => {
    const ctx = { status: 'ACTIVE' as const, now: at(0), maxPowerW: 11_000, chargedWh: 0 };
    const cases: Array<{ name: string; prefs: Parameters<typeof evaluateChargingPreferences>[0]; ctx?: Partial<typeof ctx>; expected: string }> = [
      { name: 'should accept REGULAR without further demands', prefs: { profile_type: 'REGULAR' }, expected: 'ACCEPTED' },
      { name: 'should accept an energy need reachable before departure', prefs: { profile_type: 'REGULAR', departure_time: at(120).toISOString(), energy_need: 20 }, expected: 'ACCEPTED' },
      { name: 'should refuse an energy need the connector cannot deliver before departure', prefs: { profile_type: 'REGULAR', departure_time: at(60).toISOString(), energy_need: 20 }, expected: 'NOT_POSSIBLE' },
      { name: 'should count energy already charged towards the need', prefs: { profile_type: 'REGULAR', departure_time: at(60).toISOString(), energy_need: 20 }, ctx: { chargedWh: 10_000 }, expected: 'ACCEPTED' },
      { name: 'should refuse a departure time in the past (no Z still means UTC)', prefs: { profile_type: 'REGULAR', departure_time: '2026-01-05T09:00:00' }, expected: 'NOT_POSSIBLE' },
      { name: 'should refuse preferences for a session that is over', prefs: { profile_type: 'REGULAR' }, ctx: { status: 'COMPLETED' as never }, expected: 'NOT_POSSIBLE' },
      { name: 'should answer PROFILE_TYPE_NOT_SUPPORTED for a profile cpms does not offer', prefs: { profile_type: 'GREEN' }, expected: 'PROFILE_TYPE_NOT_SUPPORTED' },
    ];
    for (const c of cases) {
      it(`OCPI 2.2.1 sessions §9.4.1: ${c.name}`, () => {
        expect(evaluateChargingPreferences(c.prefs, { ...ctx, ...c.ctx })).to.equal(c.expected);
      });
    }
  });
});

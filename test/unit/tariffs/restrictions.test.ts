// OCPI 2.2.1 tariffs §11.4.6 TariffRestrictions, evaluated against one period's context.
import { expect } from 'chai';
import {
  compileRestrictions,
  isRestrictionMet,
  ReservationState,
  type RestrictionContext,
} from '../../../src/tariffs/restrictions.ts';
import type { TariffRestrictions } from '../../../src/tariffs/tariff.types.ts';
import { localTimeAt } from '../../../src/tariffs/timezone.ts';

const HOUR = 3_600_000;
const MONDAY_2024_01_15 = Date.UTC(2024, 0, 15) / 86_400_000;

function aContext(override: Partial<RestrictionContext> = {}): RestrictionContext {
  return {
    day: MONDAY_2024_01_15,
    msOfDay: 12 * HOUR,
    isoWeekday: 1,
    energyMwh: 0,
    durationMs: 0,
    minCurrent: NaN,
    maxCurrent: NaN,
    minPowerKw: NaN,
    maxPowerKw: NaN,
    reservation: ReservationState.None,
    ...override,
  };
}

interface Case {
  name: string;
  r: TariffRestrictions;
  ctx: Partial<RestrictionContext>;
  met: boolean;
}

const cases: Case[] = [
  { name: 'should hold without restrictions', r: {}, ctx: {}, met: true },
  { name: 'start_time: should hold from start_time (inclusive)', r: { start_time: '12:00' }, ctx: { msOfDay: 12 * HOUR }, met: true },
  { name: 'start_time: should not hold just before start_time', r: { start_time: '12:00' }, ctx: { msOfDay: 12 * HOUR - 1000 }, met: false },
  { name: 'end_time: should not hold at end_time (exclusive)', r: { start_time: '09:00', end_time: '12:00' }, ctx: { msOfDay: 12 * HOUR }, met: false },
  { name: 'end_time 00:00: should hold until the end of the day', r: { start_time: '20:00', end_time: '00:00' }, ctx: { msOfDay: 24 * HOUR - 1000 }, met: true },
  { name: 'end_time 00:00: should not hold after midnight', r: { start_time: '20:00', end_time: '00:00' }, ctx: { msOfDay: 0 }, met: false },
  { name: 'wrap: should hold after midnight when end_time < start_time', r: { start_time: '22:00', end_time: '06:00' }, ctx: { msOfDay: 1 * HOUR }, met: true },
  { name: 'wrap: should hold before midnight when end_time < start_time', r: { start_time: '22:00', end_time: '06:00' }, ctx: { msOfDay: 23 * HOUR }, met: true },
  { name: 'wrap: should not hold at noon when end_time < start_time', r: { start_time: '22:00', end_time: '06:00' }, ctx: { msOfDay: 12 * HOUR }, met: false },
  { name: 'start_date: should hold on start_date (inclusive)', r: { start_date: '2024-01-15' }, ctx: {}, met: true },
  { name: 'start_date: should not hold the day before', r: { start_date: '2024-01-16' }, ctx: {}, met: false },
  { name: 'end_date: should not hold on end_date (exclusive)', r: { end_date: '2024-01-15' }, ctx: {}, met: false },
  { name: 'end_date: should hold the day before end_date', r: { end_date: '2024-01-16' }, ctx: {}, met: true },
  { name: 'min_kwh: should hold from min_kwh (inclusive)', r: { min_kwh: 20 }, ctx: { energyMwh: 20_000_000 }, met: true },
  { name: 'min_kwh: should not hold below min_kwh', r: { min_kwh: 20 }, ctx: { energyMwh: 19_999_999 }, met: false },
  { name: 'max_kwh: should not hold at max_kwh (exclusive)', r: { max_kwh: 50 }, ctx: { energyMwh: 50_000_000 }, met: false },
  { name: 'min_current: should hold at min_current (inclusive)', r: { min_current: 32 }, ctx: { minCurrent: 32, maxCurrent: 40 }, met: true },
  { name: 'min_current: should not hold when the period dipped below', r: { min_current: 32 }, ctx: { minCurrent: 16, maxCurrent: 40 }, met: false },
  { name: 'min_current: should not hold without a current measurement', r: { min_current: 5 }, ctx: {}, met: false },
  { name: 'max_current: should hold below max_current', r: { max_current: 32 }, ctx: { minCurrent: 10, maxCurrent: 31.9 }, met: true },
  { name: 'max_current: should not hold at max_current (exclusive)', r: { max_current: 32 }, ctx: { minCurrent: 10, maxCurrent: 32 }, met: false },
  { name: 'min_power: should hold at min_power (inclusive)', r: { min_power: 50 }, ctx: { minPowerKw: 50, maxPowerKw: 50 }, met: true },
  { name: 'max_power: should not hold at max_power (exclusive)', r: { max_power: 16 }, ctx: { minPowerKw: 6, maxPowerKw: 16 }, met: false },
  { name: 'max_power: should hold below max_power', r: { max_power: 16 }, ctx: { minPowerKw: 6, maxPowerKw: 15.9 }, met: true },
  { name: 'min_duration: should hold from min_duration (inclusive)', r: { min_duration: 1800 }, ctx: { durationMs: 1_800_000 }, met: true },
  { name: 'min_duration: should not hold before min_duration', r: { min_duration: 1800 }, ctx: { durationMs: 1_799_000 }, met: false },
  { name: 'max_duration: should not hold at max_duration (exclusive)', r: { max_duration: 1800 }, ctx: { durationMs: 1_800_000 }, met: false },
  { name: 'day_of_week: should hold on a listed day', r: { day_of_week: ['MONDAY', 'FRIDAY'] }, ctx: { isoWeekday: 1 }, met: true },
  { name: 'day_of_week: should not hold on an unlisted day', r: { day_of_week: ['SATURDAY', 'SUNDAY'] }, ctx: { isoWeekday: 1 }, met: false },
  { name: 'day_of_week: should hold on Sunday when listed', r: { day_of_week: ['SUNDAY'] }, ctx: { isoWeekday: 7 }, met: true },
  { name: 'reservation: should not apply a RESERVATION element to charging', r: { reservation: 'RESERVATION' }, ctx: {}, met: false },
  { name: 'reservation: should apply a RESERVATION element to reservation time', r: { reservation: 'RESERVATION' }, ctx: { reservation: ReservationState.Reserved }, met: true },
  { name: 'reservation: should apply a RESERVATION element to an expired reservation', r: { reservation: 'RESERVATION' }, ctx: { reservation: ReservationState.Expired }, met: true },
  { name: 'reservation: should apply RESERVATION_EXPIRES only to an expired reservation', r: { reservation: 'RESERVATION_EXPIRES' }, ctx: { reservation: ReservationState.Reserved }, met: false },
  { name: 'reservation: should apply RESERVATION_EXPIRES to an expired reservation', r: { reservation: 'RESERVATION_EXPIRES' }, ctx: { reservation: ReservationState.Expired }, met: true },
  { name: 'reservation: should not apply an unrestricted element to reservation time', r: {}, ctx: { reservation: ReservationState.Reserved }, met: false },
  { name: 'AND: should need every restriction to hold', r: { start_time: '09:00', end_time: '18:00', day_of_week: ['SATURDAY'] }, ctx: { msOfDay: 10 * HOUR, isoWeekday: 1 }, met: false },
];

describe('tariffs/restrictions', () => {
  for (const c of cases) {
    it(`OCPI 2.2.1 tariffs §11.4.6 ${c.name}`, () => {
      expect(isRestrictionMet(compileRestrictions(c.r), aContext(c.ctx))).to.equal(c.met);
    });
  }
});

describe('tariffs/timezone localTimeAt', () => {
  const cases = [
    { name: 'should read Amsterdam winter time as UTC+1', iso: '2024-01-15T16:30:00Z', zone: 'Europe/Amsterdam', hhmm: '17:30', weekday: 1 },
    { name: 'should read Amsterdam summer time as UTC+2', iso: '2024-07-15T16:30:00Z', zone: 'Europe/Amsterdam', hhmm: '18:30', weekday: 1 },
    { name: 'should switch to CEST at 01:00 UTC on the last Sunday of March', iso: '2024-03-31T01:00:00Z', zone: 'Europe/Amsterdam', hhmm: '03:00', weekday: 7 },
    { name: 'should still be CET one second before the March switch', iso: '2024-03-31T00:59:59Z', zone: 'Europe/Amsterdam', hhmm: '01:59', weekday: 7 },
    { name: 'should switch back to CET at 01:00 UTC on the last Sunday of October', iso: '2024-10-27T01:00:00Z', zone: 'Europe/Amsterdam', hhmm: '02:00', weekday: 7 },
    { name: 'should cross the date line westwards (Los Angeles, previous day)', iso: '2024-01-15T03:00:00Z', zone: 'America/Los_Angeles', hhmm: '19:00', weekday: 7 },
    { name: 'should handle a +05:45 zone (Kathmandu)', iso: '2024-01-15T00:00:00Z', zone: 'Asia/Kathmandu', hhmm: '05:45', weekday: 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const t = localTimeAt(c.zone, Date.parse(c.iso));
      const hhmm = `${String(Math.floor(t.msOfDay / HOUR)).padStart(2, '0')}:${String(Math.floor((t.msOfDay % HOUR) / 60_000)).padStart(2, '0')}`;
      expect({ hhmm, weekday: t.isoWeekday }).to.deep.equal({ hhmm: c.hhmm, weekday: c.weekday });
    });
  }
});

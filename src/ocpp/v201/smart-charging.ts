// Pure translation of OCPP 1.6 smart-charging commands (as the admin API, OCPI chargingprofiles and the load
// manager send them) into OCPP 2.0.1 functional block K, and of the 2.0.1 answers back. No I/O.
import { Conflict } from '../../shared/errors.ts';
import type * as V16 from '../v16/types.ts';
import type * as V201 from './types.ts';
import { evseConnectorOneOf } from '../../chargers/evse-address.ts';

type Purpose16 = V16.SetChargingProfileRequest['csChargingProfiles']['chargingProfilePurpose'];
type Schedule16 = V16.SetChargingProfileRequest['csChargingProfiles']['chargingSchedule'];

// OCPP 2.0.1 K01: ChargePointMaxProfile is renamed; the other purposes keep their names.
const purpose201 = (p: Purpose16): V201.ChargingProfilePurposeEnumType => (p === 'ChargePointMaxProfile' ? 'ChargingStationMaxProfile' : p);

/** cpms connector → the 2.0.1 evseId it is on (chargers/evse-address.ts; 0 = the station, K01: evseId 0). */
const evseIdOf = (connectorId: number | undefined) => (connectorId === undefined ? 0 : evseConnectorOneOf(connectorId));

function schedule201(s: Schedule16, id: number): V201.ChargingScheduleType {
  return {
    // OCPP 2.0.1 K01: each schedule has an id; a 1.6 profile holds one, so the profile's id serves.
    id,
    chargingRateUnit: s.chargingRateUnit,
    chargingSchedulePeriod: s.chargingSchedulePeriod.map((p) => ({ startPeriod: p.startPeriod, limit: p.limit, ...(p.numberPhases !== undefined ? { numberPhases: p.numberPhases } : {}) })) as V201.ChargingScheduleType['chargingSchedulePeriod'],
    ...(s.startSchedule !== undefined ? { startSchedule: s.startSchedule } : {}),
    ...(s.duration !== undefined ? { duration: s.duration } : {}),
    ...(s.minChargingRate !== undefined ? { minChargingRate: s.minChargingRate } : {}),
  };
}

/**
 * 1.6 SetChargingProfile → 2.0.1 SetChargingProfile. The 1.6 transactionId is cpms's session id; the station
 * knows its own string id (`transactionId`, looked up by the sender). OCPP 2.0.1 K01.FR.03: a TxProfile must
 * name its transaction, so one whose session is not a 2.0.1 transaction of the station is a Conflict.
 */
export function setChargingProfile201(p: V16.SetChargingProfileRequest, transactionId: string | undefined): V201.SetChargingProfileRequest {
  const cs = p.csChargingProfiles;
  if (cs.chargingProfilePurpose === 'TxProfile' && cs.transactionId === undefined) throw new Conflict('a TxProfile for an OCPP 2.0.1 charger must name its transactionId (K01.FR.03)');
  if (cs.transactionId !== undefined && transactionId === undefined) throw new Conflict(`transaction ${cs.transactionId} is not an OCPP 2.0.1 transaction of this charger`);
  return {
    evseId: evseIdOf(p.connectorId),
    chargingProfile: {
      id: cs.chargingProfileId,
      stackLevel: cs.stackLevel,
      chargingProfilePurpose: purpose201(cs.chargingProfilePurpose),
      chargingProfileKind: cs.chargingProfileKind,
      chargingSchedule: [schedule201(cs.chargingSchedule, cs.chargingProfileId)],
      ...(cs.recurrencyKind !== undefined ? { recurrencyKind: cs.recurrencyKind } : {}),
      ...(cs.validFrom !== undefined ? { validFrom: cs.validFrom } : {}),
      ...(cs.validTo !== undefined ? { validTo: cs.validTo } : {}),
      ...(cs.chargingProfilePurpose === 'TxProfile' && transactionId !== undefined ? { transactionId } : {}),
    },
  };
}

/** 1.6 ClearChargingProfile → 2.0.1: an id alone, or criteria (K10: evseId, purpose, stackLevel). */
export function clearChargingProfile201(p: V16.ClearChargingProfileRequest): V201.ClearChargingProfileRequest {
  const criteria: V201.ClearChargingProfileType = {
    ...(p.connectorId !== undefined ? { evseId: evseIdOf(p.connectorId) } : {}),
    ...(p.chargingProfilePurpose !== undefined ? { chargingProfilePurpose: purpose201(p.chargingProfilePurpose) } : {}),
    ...(p.stackLevel !== undefined ? { stackLevel: p.stackLevel } : {}),
  };
  return { ...(p.id !== undefined ? { chargingProfileId: p.id } : {}), ...(Object.keys(criteria).length ? { chargingProfileCriteria: criteria } : {}) };
}

export function compositeSchedule201(p: V16.GetCompositeScheduleRequest): V201.GetCompositeScheduleRequest {
  return { evseId: evseIdOf(p.connectorId), duration: p.duration, ...(p.chargingRateUnit ? { chargingRateUnit: p.chargingRateUnit } : {}) };
}

/** 2.0.1 GetCompositeScheduleResponse → 1.6: the schedule's start moves up to the response (K08). */
export function compositeSchedule16(r: V201.GetCompositeScheduleResponse): V16.GetCompositeScheduleResponse {
  if (r.status !== 'Accepted' || !r.schedule) return { status: 'Rejected' };
  const s = r.schedule;
  return {
    status: 'Accepted',
    connectorId: s.evseId,
    scheduleStart: s.scheduleStart,
    chargingSchedule: {
      duration: s.duration,
      startSchedule: s.scheduleStart,
      chargingRateUnit: s.chargingRateUnit,
      chargingSchedulePeriod: s.chargingSchedulePeriod.map((x) => ({ startPeriod: x.startPeriod, limit: x.limit, ...(x.numberPhases !== undefined ? { numberPhases: x.numberPhases } : {}) })),
    },
  };
}

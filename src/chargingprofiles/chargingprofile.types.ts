/** OCPI 2.2.1 charging profiles §14.6.2 ChargingRateUnit. */
export type ChargingRateUnit = 'W' | 'A';

/** OCPI 2.2.1 charging profiles §14.6.4 ChargingProfilePeriod. */
export interface OcpiChargingProfilePeriod {
  start_period: number;
  limit: number;
}

/** OCPI 2.2.1 charging profiles §14.6.3 ChargingProfile. */
export interface OcpiChargingProfile {
  start_date_time?: string;
  duration?: number;
  charging_rate_unit: ChargingRateUnit;
  min_charging_rate?: number;
  charging_profile_period?: OcpiChargingProfilePeriod[];
}

/** OCPI 2.2.1 charging profiles §14.6.1 ActiveChargingProfile. */
export interface ActiveChargingProfile {
  start_date_time: string;
  charging_profile: OcpiChargingProfile;
}

/** OCPI 2.2.1 charging profiles §14.5.5 SetChargingProfile. */
export interface SetChargingProfile {
  charging_profile: OcpiChargingProfile;
  response_url: string;
}

/** OCPI 2.2.1 charging profiles §14.6.5 ChargingProfileResponseType. */
export type ChargingProfileResponseType = 'ACCEPTED' | 'NOT_SUPPORTED' | 'REJECTED' | 'TOO_OFTEN' | 'UNKNOWN_SESSION';

/** OCPI 2.2.1 charging profiles §14.6.6 ChargingProfileResultType. */
export type ChargingProfileResultType = 'ACCEPTED' | 'REJECTED' | 'UNKNOWN';

/** OCPI 2.2.1 charging profiles §14.5.1 ChargingProfileResponse. */
export interface ChargingProfileResponse {
  result: ChargingProfileResponseType;
  timeout: number;
}

/** §14.5.2 ActiveChargingProfileResult, §14.5.3 ChargingProfileResult, §14.5.4 ClearProfileResult. */
export interface ActiveChargingProfileResult {
  result: ChargingProfileResultType;
  profile?: ActiveChargingProfile;
}
export interface ChargingProfileResult {
  result: ChargingProfileResultType;
}
export type ClearProfileResult = ChargingProfileResult;

/** Where an operator's charging profile change applies: a charger, narrowed to a connector or a transaction when known. */
export interface ProfileChangeScope {
  chargePointId: string;
  connectorNumber?: number;
  transactionId?: number;
}

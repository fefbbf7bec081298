// Pure mapping of OCPP 2.0.1 TransactionEvent parts onto the 1.6-shaped inputs of SessionService. No I/O.
import type { MeterValuesRequest, StopTransactionRequest } from '../ocpp/v16/types.ts';
import type { MeterValueType, ReasonEnumType, SampledValueType } from '../ocpp/v201/types.ts';
import type { MeterValue, SampledValue } from './meter-values.ts';

type SampledValue16 = MeterValuesRequest['meterValue'][number]['sampledValue'][number];
type Unit16 = NonNullable<SampledValue16['unit']>;
type Reason16 = NonNullable<StopTransactionRequest['reason']>;

const UNITS_16: readonly string[] = ['Wh', 'kWh', 'varh', 'kvarh', 'W', 'kW', 'VA', 'kVA', 'var', 'kvar', 'A', 'V', 'K', 'Celsius', 'Fahrenheit', 'Percent'];
const ENERGY_REGISTER = 'Energy.Active.Import.Register';

/** OCPP 2.0.1 §2.53 UnitOfMeasureType: value × 10^multiplier in `unit` (default Wh); as 1.6's string value. */
function scaled(value: number, multiplier = 0): string {
  return multiplier === 0 ? String(value) : String(Number((value * 10 ** multiplier).toPrecision(15)));
}

/**
 * OCPP 2.0.1 §2.45 signedMeterValue as a 1.6 SignedData sample beside its reading (same key but the format, as a
 * 1.6 signed meter sends it), keeping how it was signed.
 */
function signedSample(sv: SampledValueType, reading: SampledValue): SampledValue | undefined {
  const signed = sv.signedMeterValue;
  if (!signed) return undefined;
  const signing = { encodingMethod: signed.encodingMethod, signingMethod: signed.signingMethod, publicKey: signed.publicKey || null };
  return { ...reading, value: signed.signedMeterData, format: 'SignedData', signing };
}

/**
 * 2.0.1 meter values in the 1.6 shape the session service stores: value a decimal string with the multiplier
 * applied, the same measurand/phase/context/location names (2.0.1 kept them). A sample whose unit 1.6 does not
 * know is dropped (it could not be read correctly); a signed value gives its reading and its SignedData sample.
 */
export function meterValues16(meterValue: MeterValueType[] | undefined): MeterValue[] {
  const out: MeterValue[] = [];
  for (const mv of meterValue ?? []) {
    const sampledValue: SampledValue[] = [];
    for (const sv of mv.sampledValue) {
      const unit = sv.unitOfMeasure?.unit;
      if (unit !== undefined && !UNITS_16.includes(unit)) continue;
      const reading: SampledValue = {
        value: scaled(sv.value, sv.unitOfMeasure?.multiplier),
        ...(sv.context ? { context: sv.context } : {}),
        ...(sv.measurand ? { measurand: sv.measurand as SampledValue16['measurand'] } : {}),
        ...(sv.phase ? { phase: sv.phase } : {}),
        ...(sv.location ? { location: sv.location } : {}),
        ...(unit ? { unit: unit as Unit16 } : {}),
      };
      sampledValue.push(reading);
      const signed = signedSample(sv, reading);
      if (signed) sampledValue.push(signed);
    }
    if (sampledValue.length) out.push({ timestamp: mv.timestamp, sampledValue });
  }
  return out;
}

/** The last total energy register reading (no phase) in Wh, or undefined when the values carry none. */
export function registerWh(meterValue: MeterValueType[] | undefined): number | undefined {
  let wh: number | undefined;
  for (const mv of meterValues16(meterValue)) {
    for (const sv of mv.sampledValue) {
      if ((sv.measurand ?? ENERGY_REGISTER) !== ENERGY_REGISTER || sv.phase || sv.format === 'SignedData') continue;
      wh = Math.round(Number(sv.value) * (sv.unit === 'kWh' ? 1000 : 1));
    }
  }
  return wh;
}

// OCPP 2.0.1 §2.x ReasonEnumType → OCPP 1.6 §7.41 Reason: the shared names stay, a reset is a HardReset, the rest Other.
const SAME_REASONS: readonly string[] = ['DeAuthorized', 'EmergencyStop', 'EVDisconnected', 'Local', 'Other', 'PowerLoss', 'Reboot', 'Remote'];

/** The 1.6 stop reason for a 2.0.1 stoppedReason (OCPP 2.0.1 E06: absent means Local). */
export function stopReason16(reason: ReasonEnumType | undefined): Reason16 {
  if (reason === undefined) return 'Local';
  if (reason === 'ImmediateReset') return 'HardReset';
  return SAME_REASONS.includes(reason) ? (reason as Reason16) : 'Other';
}

type Needs = import('../ocpp/v201/types.ts').ChargingNeedsType;
type Preferences = import('./ocpi.types.ts').OcpiChargingPreferences;

/**
 * OCPP 2.0.1 K15 NotifyEVChargingNeeds → the session's charging preferences (OCPI sessions §9.2.1.2 shape, the
 * one load management reads). The EV's energyAmount is what it still needs (Wh), OCPI's energy_need the
 * session's total (kWh), so what was delivered is added. What an eMSP set (`emsp`) wins: the driver's choice.
 */
export function evChargingPreferences(needs: Needs, o: { deliveredWh: number; emsp?: Preferences }): Preferences {
  const amountWh = needs.acChargingParameters?.energyAmount ?? needs.dcChargingParameters?.energyAmount;
  const ev: Preferences = {
    profile_type: 'REGULAR',
    ...(amountWh !== undefined ? { energy_need: Math.round(amountWh + o.deliveredWh) / 1000 } : {}),
    ...(needs.departureTime !== undefined ? { departure_time: needs.departureTime } : {}),
  };
  if (!o.emsp) return ev;
  const defined = Object.fromEntries(Object.entries(o.emsp).filter(([, v]) => v !== undefined));
  return { ...ev, ...defined } as Preferences;
}

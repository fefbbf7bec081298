// Pure: what a connector physically is (OCPI 2.2.1 locations §8.3.3 Connector: standard, format, power_type,
// max_voltage, max_amperage, max_electric_power) and the validation of a change to it. No I/O.
import { InvalidInput } from '../shared/errors.ts';

/** OCPI 2.2.1 locations §8.4.5 ConnectorType (the same list as ocpi-schemas/enums.json; a test keeps them equal). */
export const CONNECTOR_TYPES = [
  'CHADEMO', 'CHAOJI', 'DOMESTIC_A', 'DOMESTIC_B', 'DOMESTIC_C', 'DOMESTIC_D', 'DOMESTIC_E', 'DOMESTIC_F', 'DOMESTIC_G',
  'DOMESTIC_H', 'DOMESTIC_I', 'DOMESTIC_J', 'DOMESTIC_K', 'DOMESTIC_L', 'DOMESTIC_M', 'DOMESTIC_N', 'DOMESTIC_O', 'GBT_AC',
  'GBT_DC', 'IEC_60309_2_single_16', 'IEC_60309_2_three_16', 'IEC_60309_2_three_32', 'IEC_60309_2_three_64', 'IEC_62196_T1',
  'IEC_62196_T1_COMBO', 'IEC_62196_T2', 'IEC_62196_T2_COMBO', 'IEC_62196_T3A', 'IEC_62196_T3C', 'NEMA_5_20', 'NEMA_6_30',
  'NEMA_6_50', 'NEMA_10_30', 'NEMA_10_50', 'NEMA_14_30', 'NEMA_14_50', 'PANTOGRAPH_BOTTOM_UP', 'PANTOGRAPH_TOP_DOWN',
  'TESLA_R', 'TESLA_S',
] as const;
/** OCPI 2.2.1 locations §8.4.4 ConnectorFormat. */
export const CONNECTOR_FORMATS = ['SOCKET', 'CABLE'] as const;
/** OCPI 2.2.1 locations §8.4.19 PowerType. */
export const POWER_TYPES = ['AC_1_PHASE', 'AC_2_PHASE', 'AC_2_PHASE_SPLIT', 'AC_3_PHASE', 'DC'] as const;

export interface ConnectorSpec {
  standard: (typeof CONNECTOR_TYPES)[number];
  format: (typeof CONNECTOR_FORMATS)[number];
  powerType: (typeof POWER_TYPES)[number];
  /** V, line to neutral for AC_3_PHASE. */
  maxVoltage: number;
  /** A. */
  maxAmperage: number;
  /** W, when lower than voltage × amperage allows; null = not set. */
  maxElectricPower: number | null;
}

/** A change to some of the fields (undefined = unchanged; maxElectricPower null = cleared). */
export type ConnectorSpecPatch = Partial<ConnectorSpec>;

/** Who set a connector's data last: null while it has the defaults (AC 3-phase type 2 socket, 230 V, 32 A). */
export type ConnectorSpecSource = 'operator' | 'charger';

export const CONNECTOR_SPEC_FIELDS = ['standard', 'format', 'powerType', 'maxVoltage', 'maxAmperage', 'maxElectricPower'] as const;

// The columns are int4; OCPI only says "int", and a positive value is the only meaningful one.
const INT4_MAX = 2_147_483_647;

function readEnum<T extends string>(field: string, v: unknown, values: readonly T[]): T {
  if (typeof v !== 'string' || !values.includes(v as T)) throw new InvalidInput(`${field}: must be one of ${values.join(', ')}`);
  return v as T;
}

function readPositiveInt(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > INT4_MAX) throw new InvalidInput(`${field}: must be a positive integer (at most ${INT4_MAX})`);
  return v;
}

/**
 * Reads a change of connector data from an untrusted object whose keys are the ConnectorSpec field names;
 * absent keys stay unchanged, `maxElectricPower: null` clears it. Throws InvalidInput naming the field.
 */
export function readConnectorSpecPatch(input: Record<string, unknown>): ConnectorSpecPatch {
  const patch: ConnectorSpecPatch = {};
  if (input.standard !== undefined) patch.standard = readEnum('standard', input.standard, CONNECTOR_TYPES);
  if (input.format !== undefined) patch.format = readEnum('format', input.format, CONNECTOR_FORMATS);
  if (input.powerType !== undefined) patch.powerType = readEnum('powerType', input.powerType, POWER_TYPES);
  if (input.maxVoltage !== undefined) patch.maxVoltage = readPositiveInt('maxVoltage', input.maxVoltage);
  if (input.maxAmperage !== undefined) patch.maxAmperage = readPositiveInt('maxAmperage', input.maxAmperage);
  if (input.maxElectricPower === null) patch.maxElectricPower = null;
  else if (input.maxElectricPower !== undefined) patch.maxElectricPower = readPositiveInt('maxElectricPower', input.maxElectricPower);
  return patch;
}

/** True when the patch changes nothing. */
export function isEmptySpecPatch(patch: ConnectorSpecPatch): boolean {
  return CONNECTOR_SPEC_FIELDS.every((f) => patch[f] === undefined);
}

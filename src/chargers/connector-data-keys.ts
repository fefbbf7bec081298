// Pure: connector data (OCPI 2.2.1 locations §8.3.3: standard, format, power type, maximum voltage, amperage
// and power) read from the configuration keys a charger reports in its GetConfiguration answer (OCPP 1.6
// §5.8). OCPP 1.6 has no standard key for it (§9.1 lists none), so the operator maps each vendor's keys in
// `ocpp.connectorDataKeys`: `{ "key": "Connector{n}Type", "field": "standard", "values": { "CCS": "IEC_62196_T2_COMBO" } }`.
import type { ConfirmedKey } from './configuration.ts';
import { CONNECTOR_SPEC_FIELDS, readConnectorSpecPatch, type ConnectorSpecPatch } from './connector-spec.ts';

export type ConnectorSpecField = (typeof CONNECTOR_SPEC_FIELDS)[number];

/** One vendor key: `{n}` in `key` stands for the connector number; a key without it names `connector`. */
export interface ConnectorDataKey {
  key: string;
  field: ConnectorSpecField;
  /** For the connector a key without `{n}` describes (default 1). */
  connector?: number;
  /** The charger's value → the OCPI value (e.g. "CCS" → "IEC_62196_T2_COMBO"); unmapped values are used as they are. */
  values?: Record<string, string>;
  /** Numeric fields: the charger's number times `scale` (e.g. 1000 for a power in kW). */
  scale?: number;
}

const NUMERIC: ReadonlySet<ConnectorSpecField> = new Set(['maxVoltage', 'maxAmperage', 'maxElectricPower']);
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The connector number a reported key names under mapping `m`, or undefined when the key is not its. */
function connectorOf(m: ConnectorDataKey, key: string, maxConnectorId: number): number | undefined {
  if (!m.key.includes('{n}')) return key.toLowerCase() === m.key.toLowerCase() ? (m.connector ?? 1) : undefined;
  const [before, after] = m.key.split('{n}');
  // Keys are case-insensitive (CiString50, OCPP 1.6 §4.4 / §9).
  const match = new RegExp(`^${escapeRe(before)}([1-9][0-9]{0,9})${escapeRe(after)}$`, 'i').exec(key);
  const n = match ? Number(match[1]) : undefined;
  return n !== undefined && n <= maxConnectorId ? n : undefined;
}

/** The value as the connector data field wants it: an OCPI enum value or a positive integer. */
function valueOf(m: ConnectorDataKey, raw: string): unknown {
  const mapped = m.values?.[raw] ?? raw.trim();
  if (!NUMERIC.has(m.field)) return mapped;
  const n = Number(mapped);
  return Number.isFinite(n) && mapped !== '' ? Math.round(n * (m.scale ?? 1)) : mapped;
}

/**
 * The connector data the confirmed `keys` give under `mappings`, per connector number, and a description of
 * each value that could not be used (not an OCPI enum value, not a positive number).
 */
export function connectorSpecsFromKeys(keys: readonly ConfirmedKey[], mappings: readonly ConnectorDataKey[], maxConnectorId: number): { specs: Map<number, ConnectorSpecPatch>; problems: string[] } {
  const specs = new Map<number, ConnectorSpecPatch>();
  const problems: string[] = [];
  for (const k of keys) {
    if (k.status !== 'Confirmed' || k.value === null) continue;
    for (const m of mappings) {
      const n = connectorOf(m, k.key, maxConnectorId);
      if (n === undefined) continue;
      try {
        const patch = readConnectorSpecPatch({ [m.field]: valueOf(m, k.value) });
        specs.set(n, { ...specs.get(n), ...patch });
      } catch (err) {
        problems.push(`${k.key}=${JSON.stringify(k.value)}: ${(err as Error).message}`);
      }
    }
  }
  return { specs, problems };
}

// `cpms charger connector <id> <connectorId> [--evse <uid>] [--standard …] [--format …] [--power-type …]
// [--max-voltage V] [--max-amperage A] [--max-power W|none]`: the admin API's
// PUT /chargers/{id}/connectors/{connectorId} from the command line (same service, same validation).
import type { Command } from 'commander';
import type { App } from '../app/index.ts';
import { InvalidInput } from '../shared/errors.ts';
import { readConnectorSpecPatch } from '../chargers/connector-spec.ts';

/** Runs `fn` with the app's services on the configured database; prints what it returns. */
export type WithServices = (fn: (s: App['services']) => Promise<string>) => Promise<void>;

/** A whole number as a number; anything else as given, for readConnectorSpecPatch to refuse naming the field. */
const intOrRaw = (v: string | undefined): unknown => (v !== undefined && /^-?\d{1,15}$/.test(v) ? Number(v) : v);

function connectorNumberOf(raw: string): number {
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > 2_147_483_647) throw new InvalidInput('connectorId: must be an integer from 1 to 2147483647');
  return Number(raw);
}

/** Adds `connector` under `cpms charger`. */
export function addConnectorCommand(charger: Command, withServices: WithServices): void {
  charger
    .command('connector <id> <connectorId>')
    .description("put a charger's connector on an EVSE of its location and/or set its data (created when not seen yet); OCPI enums, e.g. --standard IEC_62196_T2_COMBO --format CABLE --power-type DC")
    .option('--evse <uid>', 'EVSE uid at the charger\'s location (created when new); several connectors on one EVSE = one outlet with several cables')
    .option('--standard <type>', 'OCPI ConnectorType, e.g. IEC_62196_T2, IEC_62196_T2_COMBO, CHADEMO')
    .option('--format <format>', 'SOCKET | CABLE')
    .option('--power-type <type>', 'AC_1_PHASE | AC_2_PHASE | AC_2_PHASE_SPLIT | AC_3_PHASE | DC')
    .option('--max-voltage <V>', 'maximum voltage, V')
    .option('--max-amperage <A>', 'maximum amperage, A')
    .option('--max-power <W>', "maximum electric power, W ('none' clears it)")
    .action(async (id: string, connectorId: string, o: Record<string, string | undefined>) => {
      const connectorNumber = connectorNumberOf(connectorId);
      const spec = readConnectorSpecPatch({
        standard: o.standard, format: o.format, powerType: o.powerType, maxVoltage: intOrRaw(o.maxVoltage), maxAmperage: intOrRaw(o.maxAmperage),
        maxElectricPower: o.maxPower === 'none' ? null : intOrRaw(o.maxPower),
      });
      if (o.evse !== undefined && !/^[\x21-\x7e]{1,36}$/.test(o.evse)) throw new InvalidInput('evseUid: must be 1-36 printable ASCII characters (OCPI CiString(36))');
      await withServices(async (s) => {
        const c = await s.connectors.configure(id, connectorNumber, { evseUid: o.evse, spec });
        const power = c.maxElectricPower === null ? '' : `, ${c.maxElectricPower} W`;
        return `connector ${connectorNumber} of charger ${id}: EVSE ${c.evseUid ?? '(none: charger on no location)'}, ${c.standard} ${c.format} ${c.powerType}, ${c.maxVoltage} V, ${c.maxAmperage} A${power}`;
      });
    });
}

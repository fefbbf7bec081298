// The charging network's OCPI face from the command line, with the admin API's services and validation:
// - `cpms charger connector <id> <connectorId> [--evse <uid>] [--standard …] [--format …] [--power-type …]
//   [--max-voltage V] [--max-amperage A] [--max-power W|none]` = PUT /chargers/{id}/connectors/{connectorId}
// - `cpms charger rotate-password <id>` = POST /chargers/{id}/rotate-password (run it in the server, or in a
//   cluster, so that the command reaches the charger's socket)
// - `cpms location publication <id> --publish true|false [--allowed-to <json>]` = PUT /locations/{id}/publication
import type { Command } from 'commander';
import type { App } from '../app/index.ts';
import { InvalidInput } from '../shared/errors.ts';
import { readConnectorSpecPatch } from '../chargers/connector-spec.ts';

/** Runs `fn` with the app's services on the configured database; prints what it returns. */
/** `forwardArgs`: the command line a server owning the database runs instead (see CliHost.withContext). */
export type WithServices = (fn: (s: App['services']) => Promise<string>, o?: { forwardArgs?: string[] | undefined }) => Promise<void>;

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

/** Adds `publication` under `cpms location`. */
export function addLocationPublicationCommand(location: Command, withServices: WithServices): void {
  location
    .command('publication <id>')
    .description('publish a location to every eMSP, or not (OCPI 2.2.1 locations §8.3.1): then only to the eMSP parties whose tokens it lists or that charged there')
    .requiredOption('--publish <boolean>', 'true | false')
    .option('--allowed-to <json>', 'with --publish false: JSON list of tokens whose owners may be shown it, e.g. \'[{"uid":"04A1","type":"RFID"},{"groupId":"FLEET"},{"visualNumber":"NL-ABC-1","issuer":"eMSP X"}]\'')
    .action(async (id: string, o: { publish: string; allowedTo?: string }) => {
      if (o.publish !== 'true' && o.publish !== 'false') throw new InvalidInput('publish: must be true or false');
      let allowedTo: unknown;
      try {
        allowedTo = o.allowedTo === undefined ? undefined : JSON.parse(o.allowedTo);
      } catch (err) {
        throw new InvalidInput(`publishAllowedTo: --allowed-to is not valid JSON (${(err as Error).message})`);
      }
      await withServices(async (s) => {
        const l = await s.locations.setPublication(id, { publish: o.publish === 'true', publishAllowedTo: allowedTo });
        return `location ${l.id} ${l.publish ? 'published' : `unpublished (shown to the owners of ${l.publishAllowedTo?.length ?? 0} listed token(s) and to the parties that charged there)`}`;
      });
    });
}

/** Adds `rotate-password` under `cpms charger` (OCPP 1.6 security whitepaper: ChangeConfiguration AuthorizationKey). */
export function addRotatePasswordCommand(charger: Command, withServices: WithServices): void {
  charger
    .command('rotate-password <id>')
    .description('send a connected, Accepted charger a new random AuthorizationKey; its old password stays valid until it connects with the new one')
    .action(async (id: string) => {
      await withServices(async (s) => {
        const { status } = await s.chargerSecurity.rotatePassword(id);
        return `charger ${id} answered ${status}: the new password replaces the old one at its next connection`;
      });
    });
}

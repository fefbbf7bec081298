// Load management from the command line (issue 10), with the admin API's services and validation:
// - `cpms load-group add <name> --max-current <A> --phases 1|3 [--parent <id>] [--margin <A>] [--max-power <kW>]
//   [--voltage <V>]` = POST /load-groups; `cpms load-group update <id> [same options, 'none' clears]` = PATCH
// - `cpms load-group list` = GET /load-groups; `cpms load-group show <id>` = GET /load-groups/{id}
// - `cpms load-group attach <id> <chargePointId> [--phase-rotation RST…] [--max-current <A>]` = PUT …/chargers/{id}
// - `cpms load-group detach <id> <chargePointId>` = DELETE …/chargers/{id}
// - `cpms load-group price-curve <id> [--file curve.json | --clear]` = GET | PUT | DELETE …/price-curve
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidInput } from '../shared/errors.ts';
import { priceCurveOf } from '../loadmgmt/price-curve-input.ts';
import { chargePointIdOf, groupIdOf, membershipOf, newGroupOf, patchOf, type Body } from '../loadmgmt/load-group-input.ts';
import type { LoadGroup } from '../loadmgmt/load.types.ts';
import type { WithServices } from './network-commands.ts';
import { readJsonFile } from './tariff-price.ts';

/** A number as a number; anything else as given, for the input checks to refuse naming the field. */
const numberOrRaw = (v: string | undefined): unknown => (v !== undefined && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);

/** As numberOrRaw, with `none` as null (clears the field in an update). */
const numberOrNone = (v: string | undefined): unknown => (v === 'none' ? null : numberOrRaw(v));

interface GroupOptions {
  maxCurrent?: string;
  phases?: string;
  parent?: string;
  margin?: string;
  maxPower?: string;
  voltage?: string;
}

/** The options as an admin API body: only those given. */
function bodyOf(o: GroupOptions & { name?: string }): Body {
  const b: Body = {
    name: o.name, maxCurrentA: numberOrRaw(o.maxCurrent), phases: numberOrRaw(o.phases), parentId: numberOrNone(o.parent),
    marginA: numberOrRaw(o.margin), maxPowerKw: numberOrNone(o.maxPower), voltage: numberOrNone(o.voltage),
  };
  return Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined));
}

/** `63 A × 3 phase(s)[, 40 kW][ at 400 V][, below 1]` */
function limitsOf(g: LoadGroup): string {
  const kw = g.maxPowerKw === null ? '' : `, ${g.maxPowerKw} kW`;
  const volts = g.voltage === null ? '' : ` at ${g.voltage} V`;
  return `${g.maxCurrentA} A × ${g.phases} phase(s)${kw}${volts}${g.parentId === null ? '' : `, below ${g.parentId}`}`;
}

/** Adds `--max-current`, `--phases`, `--parent`, `--margin`, `--max-power`, `--voltage` to `add` or `update`. */
function withGroupOptions(c: Command, isUpdate: boolean): Command {
  const none = isUpdate ? " ('none' clears it)" : '';
  const limit = isUpdate ? c.option('--max-current <A>', 'limit per phase, A').option('--phases <n>', '1 (L1 only) | 3') : c.requiredOption('--max-current <A>', 'limit per phase, A').requiredOption('--phases <n>', '1 (L1 only) | 3');
  return limit
    .option('--parent <id>', `the group above it${isUpdate ? " ('none': a root)" : ''}`)
    .option('--margin <A>', 'kept free below the limit, A')
    .option('--max-power <kW>', `limit in kW over all its phases, besides --max-current (the tighter holds)${none}`)
    .option('--voltage <V>', `phase-to-neutral voltage converting kW into A (default: loadManagement.voltage)${none}`);
}

/** Adds `cpms load-group add|update|list|show|attach|detach|price-curve`; `withServices(command)` runs one of them. */
export function addLoadGroupCommands(program: Command, withServices: (command: string) => WithServices): void {
  const group = program.command('load-group').description('load management: the capacity tree (grid connection → panels → circuits) and its chargers');
  addEditCommands(group, withServices);
  addPriceCurveCommand(group, withServices);
  addTreeCommands(group, withServices);
}

/** `add` and `update`. */
function addEditCommands(group: Command, withServices: (command: string) => WithServices): void {
  withGroupOptions(group.command('add <name>'), false)
    .description('create a load group: a site\'s grid connection (no --parent), a panel or a circuit')
    .action(async (name: string, o: GroupOptions) => {
      const g = newGroupOf(bodyOf({ ...o, name }));
      await withServices('load-group add')(async (s) => {
        const created = await s.loadGroups.create(g);
        return `load group ${created.id} (${created.name}) created: ${limitsOf(created)}`;
      });
    });
  withGroupOptions(group.command('update <id>'), true)
    .description("change a load group's name, limits or parent (as PATCH /load-groups/{id})")
    .option('--name <name>', 'its new name')
    .action(async (id: string, o: GroupOptions & { name?: string }) => {
      const groupId = groupIdOf(id);
      const patch = patchOf(bodyOf(o));
      if (Object.keys(patch).length === 0) throw new InvalidInput('nothing to change: give at least one of --name, --max-current, --phases, --parent, --margin, --max-power, --voltage');
      await withServices('load-group update')(async (s) => {
        const updated = await s.loadGroups.update(groupId, patch);
        return `load group ${updated.id} (${updated.name}) updated: ${limitsOf(updated)}`;
      });
    });
}

/** `list`, `show`, `attach`, `detach`. */
function addTreeCommands(group: Command, withServices: (command: string) => WithServices): void {
  group.command('list').description('list the load groups').action(async () => {
    await withServices('load-group list')(async (s) => {
      const groups = await s.loadGroups.list({ limit: 500, offset: 0 });
      return groups.map((g) => `${g.id}\t${g.name}\t${g.maxCurrentA} A\t${g.phases}ph\tparent ${g.parentId ?? '-'}`).join('\n') || 'no load groups';
    });
  });
  group.command('show <id>').description('a group with its chargers, the allocation per session and the measured draw (JSON)').action(async (id: string) => {
    const groupId = groupIdOf(id);
    await withServices('load-group show')(async (s) => JSON.stringify(await s.loadGroups.view(groupId), null, 2));
  });
  group
    .command('attach <id> <chargePointId>')
    .description('attach a charger to the group (moving it from another)')
    .option('--phase-rotation <r>', 'OCPP ConnectorPhaseRotation: RST | RTS | SRT | STR | TRS | TSR')
    .option('--max-current <A>', "the operator's upper bound per phase, A")
    .action(async (id: string, chargePointId: string, o: { phaseRotation?: string; maxCurrent?: string }) => {
      const groupId = groupIdOf(id);
      const cp = chargePointIdOf(chargePointId);
      const m = membershipOf({ phaseRotation: o.phaseRotation, maxCurrentA: numberOrRaw(o.maxCurrent) });
      await withServices('load-group attach')(async (s) => {
        const a = await s.loadGroups.attach(groupId, cp, m);
        return `charger ${a.chargePointId} attached to load group ${a.groupId}`;
      });
    });
  group.command('detach <id> <chargePointId>').description('detach a charger from the group (its load management profiles are cleared)').action(async (id: string, chargePointId: string) => {
    const groupId = groupIdOf(id);
    const cp = chargePointIdOf(chargePointId);
    await withServices('load-group detach')(async (s) => {
      await s.loadGroups.detach(groupId, cp);
      return `charger ${cp} detached from load group ${groupId}`;
    });
  });
}

/** `price-curve <id>`: shows the curve in force (JSON); `--file` sets the group's own, `--clear` removes it. */
function addPriceCurveCommand(group: Command, withServices: (command: string) => WithServices): void {
  group
    .command('price-curve <id>')
    .description("show a group's energy price curve in force (its own or inherited) with its prices over the horizon, or set or clear its own")
    .option('--file <curve.json>', 'set it: a JSON file as the body of PUT /load-groups/{id}/price-curve ({ currency, timeZone, basePricePerKwh, timeOfUse, periods })')
    .option('--clear', "remove the group's own curve (it inherits the nearest one above it again)")
    .action(async (id: string, o: { file?: string; clear?: boolean }) => {
      const groupId = groupIdOf(id);
      if (o.file !== undefined && o.clear) throw new InvalidInput('--file and --clear: give one of them');
      const path = o.file === undefined ? undefined : resolve(o.file);
      const curve = path === undefined ? undefined : priceCurveOf(asBody(readJsonFile(path, '--file')));
      // A server running on this DATA_DIR runs the command itself: it gets the file's absolute path.
      const forwardArgs = path === undefined ? undefined : ['load-group', 'price-curve', id, '--file', path];
      await withServices('load-group price-curve')(async (s) => {
        if (o.clear) {
          await s.loadGroups.clearPriceCurve(groupId);
          return `price curve of load group ${groupId} removed`;
        }
        return JSON.stringify(curve ? await s.loadGroups.setPriceCurve(groupId, curve) : await s.loadGroups.priceCurve(groupId), null, 2);
      }, { forwardArgs });
    });
}

function asBody(v: unknown): Body {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidInput('--file: a JSON object { currency, timeZone?, basePricePerKwh?, timeOfUse?, periods? }');
  return v as Body;
}

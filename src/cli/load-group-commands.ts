// Load management from the command line (issue 10), with the admin API's services and validation:
// - `cpms load-group add <name> --max-current <A> --phases 1|3 [--parent <id>] [--margin <A>]` = POST /load-groups
// - `cpms load-group list` = GET /load-groups; `cpms load-group show <id>` = GET /load-groups/{id}
// - `cpms load-group attach <id> <chargePointId> [--phase-rotation RST…] [--max-current <A>]` = PUT …/chargers/{id}
// - `cpms load-group detach <id> <chargePointId>` = DELETE …/chargers/{id}
import type { Command } from 'commander';
import { chargePointIdOf, groupIdOf, membershipOf, newGroupOf } from '../loadmgmt/load-group-input.ts';
import type { WithServices } from './network-commands.ts';

/** A number as a number; anything else as given, for the input checks to refuse naming the field. */
const numberOrRaw = (v: string | undefined): unknown => (v !== undefined && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);

/** Adds `cpms load-group add|list|show|attach|detach`; `withServices(command)` runs one of them. */
export function addLoadGroupCommands(program: Command, withServices: (command: string) => WithServices): void {
  const group = program.command('load-group').description('load management: the capacity tree (grid connection → panels → circuits) and its chargers');
  group
    .command('add <name>')
    .description('create a load group: a site\'s grid connection (no --parent), a panel or a circuit')
    .requiredOption('--max-current <A>', 'limit per phase, A')
    .requiredOption('--phases <n>', '1 (L1 only) | 3')
    .option('--parent <id>', 'the group above it')
    .option('--margin <A>', 'kept free below the limit, A')
    .action(async (name: string, o: { maxCurrent: string; phases: string; parent?: string; margin?: string }) => {
      const g = newGroupOf({ name, maxCurrentA: numberOrRaw(o.maxCurrent), phases: numberOrRaw(o.phases), parentId: numberOrRaw(o.parent), marginA: numberOrRaw(o.margin) });
      await withServices('load-group add')(async (s) => {
        const created = await s.loadGroups.create(g);
        return `load group ${created.id} (${created.name}) created: ${created.maxCurrentA} A × ${created.phases} phase(s)${created.parentId === null ? '' : `, below ${created.parentId}`}`;
      });
    });
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

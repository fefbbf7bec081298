// Operator accounts from the command line (issue 9), with the admin API's services and validation:
// - `cpms operator add <email> --role R [--name N] [--password PW]`: prints a one-time password (to be
//   changed at the first login) when none is given
// - `cpms operator list`, `cpms operator disable <email>`
// - `cpms driver password <id> --password PW`: a driver's password for the driver app (issue 11)
// And the audit log of CLI changes: every command that changes something is recorded once it succeeded,
// with the OS user as its actor and its arguments (secrets redacted); it runs wherever the command runs
// (inside the server when forwarded over the control socket).
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import type { App } from '../app/index.ts';
import { systemClock } from '../shared/clock.ts';
import { AuditService } from '../audit/audit.service.ts';
import { redactArgs } from '../shared/redact.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { CliContext } from './context.ts';

/** Runs `fn` with the app's services on the configured database; prints what it returns (one line each). */
export type WithServicesLines = (fn: (s: App['services']) => Promise<string[]>) => Promise<void>;

/** Commands that change nothing (or that the audit log cannot record: `migrate` may create it). */
const NOT_AUDITED = new Set(['migrate', 'partner list', 'operator list']);

// CLI commands name entities in the singular; the audit log uses the admin API's path segments.
const ENTITY_TYPES: Record<string, string> = { charger: 'chargers', token: 'tokens', location: 'locations', partner: 'partners', apikey: 'apikeys', operator: 'operators', job: 'jobs', driver: 'drivers' };

/** Records a successful CLI command `command` (e.g. `operator add`) run with `args` (argv after `cpms`). */
export async function recordCliChange(ctx: CliContext, command: string, args: readonly string[]): Promise<void> {
  if (NOT_AUDITED.has(command)) return;
  const audit = ctx.app?.services.audit ?? new AuditService({ db: ctx.db, clock: systemClock });
  const words = command.split(' ').length;
  const target = args[words];
  const user = osUser();
  await audit.record({
    source: 'cli', actorKind: 'cli', actorId: user, actorLabel: user, action: `cli ${command}`,
    entityType: ENTITY_TYPES[command.split(' ')[0]] ?? command.split(' ')[0], entityId: target && !target.startsWith('-') ? target : null,
    before: null, after: null, request: { args: redactArgs(args) }, requestId: null,
  });
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown'; // no passwd entry for this uid (some containers)
  }
}

/** Adds `cpms operator …`. */
export function addOperatorCommands(program: Command, withServices: (command: string) => WithServicesLines): void {
  const operator = program.command('operator').description('operator accounts (people logging in to the admin API)');
  operator
    .command('add <email>')
    .description('add an operator account; without --password a one-time password is printed, to be changed at the first login')
    .requiredOption('--role <role>', 'admin | operator | viewer | finance')
    .option('--name <name>', 'display name')
    .option('--password <pw>', 'at least 12 characters (else a one-time password is made)')
    .action(async (email: string, o: { role: string; name?: string; password?: string }) => {
      await withServices('operator add')(async (s) => {
        const { operator: op, oneTimePassword } = await s.operators.add({ email, role: o.role, name: o.name, password: o.password });
        const added = `operator ${op.id} ${op.email} (${op.role}) added`;
        return oneTimePassword ? [added, `one-time password (shown only this once; to be changed at the first login): ${oneTimePassword}`] : [added];
      });
    });
  operator.command('list').description('operator accounts').action(async () => {
    await withServices('operator list')(async (s) => {
      const all = await s.operators.list({ limit: 500, offset: 0 });
      if (all.length === 0) return ['no operators'];
      return all.map((op) => `${op.id}\t${op.email}\t${op.role}\t${op.disabledAt ? 'disabled' : 'enabled'}\t${op.name ?? ''}`);
    });
  });
  // A driver's password for the driver app (issue 11), as POST /drivers/{id}/password.
  program.command('driver').description('driver accounts (people signing in to the driver app)')
    .command('password <id>').description("set or reset a driver's password for the driver app; its sessions there end")
    .requiredOption('--password <pw>', 'at least 12 characters')
    .action(async (id: string, o: { password: string }) => {
      await withServices('driver password')(async (s) => {
        if (!/^[1-9]\d{0,9}$/.test(id)) throw new InvalidInput('id: must be a driver id (a positive integer)');
        await s.driverAccounts.setPassword(Number(id), o.password);
        return [`driver ${id}: password set`];
      });
    });
  operator.command('disable <email>').description('disable an account: its sessions end at once and it can no longer log in').action(async (email: string) => {
    await withServices('operator disable')(async (s) => {
      const op = await s.operators.update(await s.operators.idOfEmail(email), { disabled: true });
      return [`operator ${op.id} ${op.email} disabled`];
    });
  });
}

// The `cpms` commands that act on the database. Each action takes its context from the host (see
// context.ts), so it runs the same standalone and inside the running server.
import type { Command } from 'commander';
import { createApp, type App } from '../app.ts';
import { addImportCommands } from './import-commands.ts';
import { addConnectorCommand, addLocationPublicationCommand, addRotatePasswordCommand, type WithServices } from './network-commands.ts';
import { migrateLatest } from '../db/migrate.ts';
import { InvalidInput } from '../shared/errors.ts';
import { systemClock } from '../shared/clock.ts';
import { toPartnerView } from '../partners/partner.service.ts';
import type { CredentialsService } from '../partners/credentials.service.ts';
import type { CliContext, CliHost, Out } from './context.ts';
import { addOperatorCommands, recordCliChange } from './operator-commands.ts';
import { addLoadGroupCommands } from './load-group-commands.ts';

/**
 * The running server's services when there is one, otherwise the whole app's services on the command's own
 * database (not listening): the same hooks run either way (e.g. a change queues its OCPI location pushes).
 */
function servicesOf({ app, db, config, logger }: CliContext): App['services'] {
  return (app ?? createApp({ config, db, logger, clock: systemClock })).services;
}

/**
 * Runs a credentials handshake step (`fn`) while our versions endpoint is served, since the partner calls
 * it back meanwhile: by the running server, or else by the app served on the configured port for the
 * duration (no second listen on the server's port: a server owning the database runs the command itself).
 */
async function withServingApp(ctx: CliContext, fn: (credentials: CredentialsService, baseUrl: string) => Promise<void>): Promise<void> {
  if (ctx.app) return fn(ctx.app.services.credentials, ctx.baseUrl);
  const app = createApp({ config: ctx.config, db: ctx.db, logger: ctx.logger, clock: systemClock });
  // Not a node: chargers recorded as connected may belong to a server on the same PostgreSQL database.
  await app.listen(ctx.config.port, ctx.config.host, { releaseStaleConnections: false });
  try {
    await fn(app.services.credentials, ctx.baseUrl);
  } finally {
    await app.close();
  }
}

function addOperationsCommands(program: Command, run: CliHost['withContext'], out: Out): void {
  program.command('migrate').description('apply pending database migrations').action(async () => {
    await run('migrate', async ({ db }) => {
      await migrateLatest(db); // standalone, opening the database already did
      out('migrations applied');
    });
  });

  const apikey = program.command('apikey').description('admin API keys');
  apikey.command('create').description('create an API key and print it once').requiredOption('--role <role>', 'admin | operator | viewer | finance').option('--name <name>', 'what the key is for', 'cli').action(async (opts) => {
    await run('apikey create', async (ctx) => {
      const { key, apiKey } = await servicesOf(ctx).apiKeys.create(opts.name, opts.role);
      out(`API key ${apiKey.id} (${apiKey.role}) created. It is shown only this once:\n${key}`);
    });
  });

  const job = program.command('job').description('scheduled jobs');
  job.command('run <name>').description('run a job now (under its lock)').action(async (name) => {
    await run('job run', async ({ app, config, db, logger }) => {
      const scheduler = (app ?? createApp({ config, db, logger, clock: systemClock })).scheduler;
      out(JSON.stringify(await scheduler.runNow(name, 'manual'), null, 2));
    });
  });
}

function addResourceCommands(program: Command, host: CliHost, out: Out): void {
  const run: CliHost['withContext'] = (command, fn, o) => host.withContext(command, fn, o);
  const charger = program.command('charger').description('charge points');
  charger.command('add <id>').description('register a charger (OCPP identity) with its Basic-auth password').requiredOption('--password <pw>', '8-40 characters').option('--location <id>', 'location id').option('--evse <uid>', 'EVSE uid (created at the location when new)').action(async (id, opts) => {
    await run('charger add', async (ctx) => {
      const cp = await servicesOf(ctx).chargers.register({ id, password: opts.password, locationId: opts.location, evseUid: opts.evse });
      out(`charger ${cp.id} registered${cp.locationId ? ` at location ${cp.locationId}` : ''}`);
    });
  });

  const token = program.command('token').description('id tokens (RFID cards, app users)');
  token.command('add <uid>').description("add one of the operator's own tokens").option('--group <g>', 'group id').option('--type <type>', 'RFID | APP_USER | AD_HOC_USER | OTHER', 'RFID').action(async (uid, opts) => {
    await run('token add', async (ctx) => {
      const t = await servicesOf(ctx).tokens.addLocal({ uid, groupId: opts.group, type: opts.type });
      out(`token ${t.uid} added (${t.type}${t.groupId ? `, group ${t.groupId}` : ''})`);
    });
  });

  const location = program.command('location').description('locations');
  location.command('add <id>').description('add a location').requiredOption('--address <a>').requiredOption('--city <c>').requiredOption('--country <ISO3>').requiredOption('--lat <lat>').requiredOption('--lon <lon>').requiredOption('--tz <zone>', 'IANA time zone').option('--name <n>').option('--postal-code <p>').action(async (id, o) => {
    await run('location add', async (ctx) => {
      const l = await servicesOf(ctx).locations.create({ id, name: o.name, address: o.address, city: o.city, country: o.country, latitude: o.lat, longitude: o.lon, timeZone: o.tz, postalCode: o.postalCode });
      out(`location ${l.id} added`);
    });
  });

  // With the whole app's services: these changes queue their location pushes as the admin API's do.
  const withServices = (command: string): WithServices => (fn, o) => run(command, async (ctx) => out(await fn(servicesOf(ctx))), o?.forwardArgs ? { forwardArgs: o.forwardArgs } : undefined);
  addConnectorCommand(charger, withServices('charger connector'));
  addRotatePasswordCommand(charger, withServices('charger rotate-password'));
  addLocationPublicationCommand(location, withServices('location publication'));
  addImportCommands({ charger, token }, host, servicesOf, out);
  addLoadGroupCommands(program, withServices);
}

function addPartnerCommands(program: Command, run: CliHost['withContext'], out: Out): void {
  const partner = program.command('partner').description('OCPI partners (eMSPs, hubs)');
  partner.command('invite').description('create a token A for a party to register with us; prints it once with our versions URL').requiredOption('--country <cc>', 'ISO 3166-1 alpha-2').requiredOption('--party <id>', '3-character party id').option('--role <role>', 'EMSP | HUB | NSP | OTHER ...', 'EMSP').option('--name <name>').action(async (o) => {
    await run('partner invite', async (ctx) => {
      const invited = await servicesOf(ctx).partners.invite({ countryCode: o.country, partyId: o.party, role: o.role, name: o.name }, ctx.baseUrl);
      out(`partner ${invited.partner.id} invited (${invited.partner.countryCode}/${invited.partner.partyId} ${invited.partner.role}). Give it, securely:\nversions URL: ${invited.versionsUrl}\ntoken A: ${invited.tokenA}`);
    });
  });
  partner.command('register').description("register with a partner: its versions URL and the token A it gave us").requiredOption('--versions-url <url>').requiredOption('--token <tokenA>').option('--role <role>', "the partner's role to connect to", 'EMSP').action(async (o) => {
    await run('partner register', (ctx) =>
      withServingApp(ctx, async (credentials, baseUrl) => {
        const p = await credentials.register({ versionsUrl: o.versionsUrl, tokenA: o.token, role: o.role }, baseUrl);
        out(`registered with partner ${p.id}: ${p.countryCode}/${p.partyId} ${p.name ?? ''} (OCPI ${p.version}, ${p.endpoints.length} endpoints)`);
      }),
    );
  });
  partner.command('update-credentials <id>').description('give a registered partner a new token for us (PUT credentials) and fetch its endpoints again').action(async (id) => {
    if (!/^[1-9]\d*$/.test(id)) throw new InvalidInput('id: must be a positive integer');
    await run('partner update-credentials', (ctx) =>
      withServingApp(ctx, async (credentials, baseUrl) => {
        const p = await credentials.updateCredentials(Number(id), baseUrl);
        out(`updated our credentials at partner ${p.id}: ${p.countryCode}/${p.partyId} ${p.name ?? ''} (OCPI ${p.version}, ${p.endpoints.length} endpoints)`);
      }),
    );
  });
  partner.command('list').description('partners and their registration state').option('--all', 'include unregistered partners').action(async (o) => {
    await run('partner list', async (ctx) => {
      const partners = await servicesOf(ctx).partners.list({ includeUnregistered: Boolean(o.all) });
      if (partners.length === 0) out('no partners');
      for (const v of partners.map(toPartnerView)) {
        out(`${v.id}\t${v.countryCode || '-'}/${v.partyId || '-'}\t${v.role}\t${v.status}\t${v.version ?? '-'}\t${v.name ?? ''}\t${v.endpoints.map((e) => `${e.identifier}:${e.role}`).join(',')}`);
      }
    });
  });
}

/**
 * Adds every command that needs the database to the `cpms` command tree; `args` (argv after `cpms`) go to
 * the audit log of each command that changed something.
 */
export function addDatabaseCommands(program: Command, host: CliHost, out: Out, args: readonly string[] = []): void {
  const run: CliHost['withContext'] = (command, fn) =>
    host.withContext(command, async (ctx) => {
      const result = await fn(ctx);
      await recordCliChange(ctx, command, args);
      return result;
    });
  addOperationsCommands(program, run, out);
  addResourceCommands(program, host, out);
  addPartnerCommands(program, run, out);
  addOperatorCommands(program, (command) => (fn) => run(command, async (ctx) => {
    for (const line of await fn(servicesOf(ctx))) out(line);
  }));
}

import { Command, CommanderError } from 'commander';
import type { Knex } from 'knex';
import { loadConfig, type Config } from '../config/load.ts';
import { openDatabase, serve } from '../main.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { systemClock } from '../shared/clock.ts';
import { ApiKeyService } from '../access/apikey.service.ts';
import { ChargerService } from '../chargers/charger.service.ts';
import { TokenService } from '../tokens/token.service.ts';
import { LocationService } from '../locations/location.service.ts';
import { DomainEvents } from '../shared/events.ts';
import { createApp } from '../app.ts';
import { PartnerService, toPartnerView } from '../partners/partner.service.ts';
import type { CredentialsService } from '../partners/credentials.service.ts';
import { addTariffCommands } from './tariff-price.ts';
import { addConnectorCommand, addLocationPublicationCommand, type WithServices } from './network-commands.ts';
import { addSimulateCommand } from './simulate.ts';

type Out = (line: string) => void;

/** Opens the database for a one-shot command, runs `fn`, and closes it. */
async function withDb<T>(fn: (ctx: { db: Knex; config: Config; logger: Logger }) => Promise<T>): Promise<T> {
  // One-shot commands log warnings only, unless LOG_LEVEL asks for more (the environment wins over overrides).
  const config = loadConfig(undefined, { logLevel: 'warn' });
  const logger = createLogger(config.logLevel);
  const db = await openDatabase(config, logger);
  try {
    return await fn({ db, config, logger });
  } finally {
    await db.destroy();
  }
}

function chargerService(db: Knex, config: Config, logger: Logger): ChargerService {
  return new ChargerService({ db, clock: systemClock, events: new DomainEvents(), logger, nodeId: 'cli', heartbeatIntervalSec: config.ocpp.heartbeatIntervalSec, pendingIntervalSec: config.ocpp.pendingIntervalSec });
}

/**
 * Runs a credentials handshake step (`fn`) while the app serves on the configured port: the partner calls
 * our versions endpoint back meanwhile (with the embedded database the server cannot be running anyway).
 */
async function withServingApp(fn: (credentials: CredentialsService, baseUrl: string) => Promise<void>): Promise<void> {
  await withDb(async ({ db, config, logger }) => {
    const app = createApp({ config, db, logger, clock: systemClock });
    // Not a node: chargers recorded as connected may belong to a server running on the same database.
    await app.listen(config.port, config.host, { releaseStaleConnections: false });
    try {
      await fn(app.services.credentials, config.publicUrl || `http://localhost:${config.port}`);
    } finally {
      await app.close();
    }
  });
}

/** Builds the `cpms` command tree; `out` receives what the command prints. */
export function buildCli(out: Out): Command {
  const program = new Command('cpms').description('Charge Point Management System and OCPI 2.2.1 CPO platform').exitOverride();
  program.configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => out(s.trimEnd()) });

  program.command('serve').description('run the whole system: OCPP endpoint, admin API, jobs').action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const { stop } = await serve(config, logger);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        logger.info(`received ${signal}, shutting down`);
        // Exit only once the stop has recorded the chargers disconnected and closed the database.
        void stop().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error('shutdown failed', { err: err instanceof Error ? { message: err.message, stack: err.stack } : err });
            process.exit(1);
          },
        );
      });
    }
    await new Promise(() => undefined); // serve until a signal arrives
  });

  program.command('migrate').description('apply pending database migrations').action(async () => {
    await withDb(async () => out('migrations applied'));
  });

  const apikey = program.command('apikey').description('admin API keys');
  apikey.command('create').description('create an API key and print it once').requiredOption('--role <role>', 'admin | operator | viewer').option('--name <name>', 'what the key is for', 'cli').action(async (opts) => {
    await withDb(async ({ db }) => {
      const { key, apiKey } = await new ApiKeyService({ db, clock: systemClock }).create(opts.name, opts.role);
      out(`API key ${apiKey.id} (${apiKey.role}) created. It is shown only this once:\n${key}`);
    });
  });

  const charger = program.command('charger').description('charge points');
  charger.command('add <id>').description('register a charger (OCPP identity) with its Basic-auth password').requiredOption('--password <pw>', '8-40 characters').option('--location <id>', 'location id').option('--evse <uid>', 'EVSE uid (created at the location when new)').action(async (id, opts) => {
    await withDb(async ({ db, config, logger }) => {
      const cp = await chargerService(db, config, logger).register({ id, password: opts.password, locationId: opts.location, evseUid: opts.evse });
      out(`charger ${cp.id} registered${cp.locationId ? ` at location ${cp.locationId}` : ''}`);
    });
  });

  // With the whole app's services: these changes queue their location pushes as the admin API's do.
  const withServices: WithServices = (fn) => withDb(async ({ db, config, logger }) => out(await fn(createApp({ config, db, logger, clock: systemClock }).services)));
  addConnectorCommand(charger, withServices);

  const token = program.command('token').description('id tokens (RFID cards, app users)');
  token.command('add <uid>').description("add one of the operator's own tokens").option('--group <g>', 'group id').option('--type <type>', 'RFID | APP_USER | AD_HOC_USER | OTHER', 'RFID').action(async (uid, opts) => {
    await withDb(async ({ db }) => {
      const t = await new TokenService({ db }).addLocal({ uid, groupId: opts.group, type: opts.type });
      out(`token ${t.uid} added (${t.type}${t.groupId ? `, group ${t.groupId}` : ''})`);
    });
  });

  const location = program.command('location').description('locations');
  location.command('add <id>').description('add a location').requiredOption('--address <a>').requiredOption('--city <c>').requiredOption('--country <ISO3>').requiredOption('--lat <lat>').requiredOption('--lon <lon>').requiredOption('--tz <zone>', 'IANA time zone').option('--name <n>').option('--postal-code <p>').action(async (id, o) => {
    await withDb(async ({ db }) => {
      const l = await new LocationService({ db }).create({ id, name: o.name, address: o.address, city: o.city, country: o.country, latitude: o.lat, longitude: o.lon, timeZone: o.tz, postalCode: o.postalCode });
      out(`location ${l.id} added`);
    });
  });

  addLocationPublicationCommand(location, withServices);

  addTariffCommands(program, out);
  addSimulateCommand(program, out);

  const partner = program.command('partner').description('OCPI partners (eMSPs, hubs)');
  partner.command('invite').description('create a token A for a party to register with us; prints it once with our versions URL').requiredOption('--country <cc>', 'ISO 3166-1 alpha-2').requiredOption('--party <id>', '3-character party id').option('--role <role>', 'EMSP | HUB | NSP | OTHER ...', 'EMSP').option('--name <name>').action(async (o) => {
    await withDb(async ({ db, config }) => {
      const invited = await new PartnerService({ db, clock: systemClock }).invite({ countryCode: o.country, partyId: o.party, role: o.role, name: o.name }, config.publicUrl || `http://localhost:${config.port}`);
      out(`partner ${invited.partner.id} invited (${invited.partner.countryCode}/${invited.partner.partyId} ${invited.partner.role}). Give it, securely:\nversions URL: ${invited.versionsUrl}\ntoken A: ${invited.tokenA}`);
    });
  });
  partner.command('register').description("register with a partner: its versions URL and the token A it gave us").requiredOption('--versions-url <url>').requiredOption('--token <tokenA>').option('--role <role>', "the partner's role to connect to", 'EMSP').action(async (o) => {
    await withServingApp(async (credentials, baseUrl) => {
      const p = await credentials.register({ versionsUrl: o.versionsUrl, tokenA: o.token, role: o.role }, baseUrl);
      out(`registered with partner ${p.id}: ${p.countryCode}/${p.partyId} ${p.name ?? ''} (OCPI ${p.version}, ${p.endpoints.length} endpoints)`);
    });
  });
  partner.command('update-credentials <id>').description('give a registered partner a new token for us (PUT credentials) and fetch its endpoints again').action(async (id) => {
    if (!/^[1-9]\d*$/.test(id)) throw new InvalidInput('id: must be a positive integer');
    await withServingApp(async (credentials, baseUrl) => {
      const p = await credentials.updateCredentials(Number(id), baseUrl);
      out(`updated our credentials at partner ${p.id}: ${p.countryCode}/${p.partyId} ${p.name ?? ''} (OCPI ${p.version}, ${p.endpoints.length} endpoints)`);
    });
  });
  partner.command('list').description('partners and their registration state').option('--all', 'include unregistered partners').action(async (o) => {
    await withDb(async ({ db }) => {
      const partners = await new PartnerService({ db, clock: systemClock }).list({ includeUnregistered: Boolean(o.all) });
      if (partners.length === 0) out('no partners');
      for (const v of partners.map(toPartnerView)) {
        out(`${v.id}\t${v.countryCode || '-'}/${v.partyId || '-'}\t${v.role}\t${v.status}\t${v.version ?? '-'}\t${v.name ?? ''}\t${v.endpoints.map((e) => `${e.identifier}:${e.role}`).join(',')}`);
      }
    });
  });

  const job = program.command('job').description('scheduled jobs');
  job.command('run <name>').description('run a job now (under its lock)').action(async (name) => {
    await withDb(async ({ db, config, logger }) => {
      const app = createApp({ config, db, logger, clock: systemClock });
      out(JSON.stringify(await app.scheduler.runNow(name, 'manual'), null, 2));
    });
  });
  return program;
}

/**
 * Runs the CLI; returns the exit code: 2 for bad input (a malformed value, a duplicate id, a reference
 * to something that does not exist), 1 for other failures.
 */
export async function main(argv: string[], out: Out = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  try {
    await buildCli(out).parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof InvalidInput || err instanceof Conflict || err instanceof NotFound) {
      out(`error: ${err.message}`);
      return 2;
    }
    out(`error: ${(err as Error).message}`);
    return 1;
  }
}

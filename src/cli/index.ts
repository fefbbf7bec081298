import { setFlagsFromString } from 'node:v8';
import { Command, CommanderError } from 'commander';
import { isYoungGenerationSized, loadConfig, type Config } from '../config/load.ts';
import { serve, type Serving } from '../main.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { addTariffCommands } from './tariff-price.ts';
import { addSimulateCommand } from './simulate.ts';
import { addDatabaseCommands } from './commands.ts';
import { RanOnServer, serverHost, standaloneHost, type CliHost, type Out } from './context.ts';
import { listenControlSocket, type ControlServer } from './control-socket.ts';

/**
 * `cpms serve`: the whole system; on an embedded database also the control socket through which CLI
 * commands started on the same DATA_DIR run in this process. Serves until SIGINT/SIGTERM.
 */
async function serveUntilSignalled(): Promise<never> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { format: config.logFormat });
  if (config.heapGrowingPercent > 0) setFlagsFromString(`--heap-growing-percent=${config.heapGrowingPercent}`);
  // V8 sizes the young generation only at start-up: with its default (16 MB semi-spaces) a busy node spends a
  // third of its CPU time collecting the garbage of charger messages (issue 8). `npm start` gives 64 MB.
  if (!isYoungGenerationSized()) {
    logger.info("node runs with V8's default young generation: start cpms serve with --max-semi-space-size=64 (as npm start does, or in NODE_OPTIONS) for much less garbage collection per charger message under load");
  }
  const starting = (async () => {
    // The first admin key goes to the terminal, if there is one: stdout may also be a log shipper's pipe.
    const serving = await serve(config, logger, { terminal: process.stdout.isTTY ? (text) => void process.stdout.write(text) : undefined });
    try {
      const control = config.databaseUrl || config.dataDir === 'memory://' ? undefined : await listenControlSocketFor(serving, config, logger);
      return { serving, control };
    } catch (err) {
      await serving.stop();
      throw err;
    }
  })();
  // Handled from the start: a signal during start-up stops what has started, once it has.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info(`received ${signal}, shutting down`);
      // CLI commands first (those running finish), then the app, then the database and its owner lock.
      void starting
        .then(async ({ serving, control }) => {
          await control?.close();
          await serving.stop();
        })
        .then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error('shutdown failed', { err: err instanceof Error ? { message: err.message, stack: err.stack } : err });
            process.exit(1);
          },
        );
    });
  }
  // Diagnostics (issue 8): the event-loop delay since the previous report, e.g. between benchmark phases.
  process.on('SIGUSR2', () => void starting.then(({ serving }) => serving.app.reportLoopDelay(), () => undefined));
  await starting;
  return new Promise<never>(() => undefined); // serve until a signal arrives
}

async function listenControlSocketFor(serving: Serving, config: Config, logger: Logger): Promise<ControlServer | undefined> {
  const host = serverHost({ db: serving.db, config, logger, app: serving.app, baseUrl: serving.baseUrl });
  const control = await listenControlSocket({ dataDir: config.dataDir, logger, run: (args, out) => main(['node', 'cpms', ...args], out, host) });
  if (control) logger.info(`CLI control socket listening on ${control.path}: cpms commands on this DATA_DIR run in this server`, { interface: 'cli', path: control.path });
  return control;
}

/** Builds the `cpms` command tree; `out` receives what the command prints, `host` runs the actions. */
export function buildCli(out: Out, host: CliHost, args: readonly string[] = []): Command {
  const program = new Command('cpms').description('Charge Point Management System and OCPI 2.2.1 CPO platform').exitOverride();
  program.configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => out(s.trimEnd()) });

  program.command('serve').description('run the whole system: OCPP endpoint, admin API, jobs').action(async () => {
    // Never forwarded: a second server on the same embedded database is refused by its owner lock.
    if (host.inServer) throw new InvalidInput('serve: the server is already running');
    await serveUntilSignalled();
  });
  addDatabaseCommands(program, host, out, args);
  addTariffCommands(program, out);
  addSimulateCommand(program, out);
  return program;
}

/**
 * Runs the CLI; returns the exit code: 2 for bad input (a malformed value, a duplicate id, a reference
 * to something that does not exist), 1 for other failures. Standalone unless `host` says otherwise.
 */
export async function main(argv: string[], out: Out = (line) => process.stdout.write(`${line}\n`), host: CliHost = standaloneHost(argv.slice(2), out)): Promise<number> {
  try {
    await buildCli(out, host, argv.slice(2)).parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof RanOnServer) return err.code;
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof InvalidInput || err instanceof Conflict || err instanceof NotFound) {
      out(`error: ${err.message}`);
      return 2;
    }
    out(`error: ${(err as Error).message}`);
    return 1;
  }
}

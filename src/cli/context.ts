// Where a CLI command's action runs. Each action asks its host for a context (database, config, logger,
// and the running app when there is one) and the same code runs in both places:
// - standalone: the command opens the database itself, runs, and closes it;
// - inside `cpms serve` (through its control socket): the server's own database, services and app, so
//   the server sees the change at once (same engine, same process).
// A standalone command that finds the embedded database owned by a running server hands the whole
// command line to that server over the control socket (issue 7), and exits with the server's exit code.
import type { Knex } from 'knex';
import type { App } from '../app.ts';
import { loadConfig, type Config } from '../config/load.ts';
import { DataDirInUse } from '../db/owner-lock.ts';
import { openDatabase } from '../main.ts';
import { createLogger, type Logger } from '../shared/logger.ts';
import { controlSocketPath, runOnServer } from './control-socket.ts';

export type Out = (line: string) => void;

export interface CliContext {
  db: Knex;
  config: Config;
  logger: Logger;
  /** The running server's app, when the command runs inside `cpms serve`. */
  app?: App;
  /** Where partners reach this platform (our versions URL is under it). */
  baseUrl: string;
}

export interface CliHost {
  readonly inServer: boolean;
  /**
   * Runs `fn` (the action of `cpms <command>`) with a context. `forwardArgs`: the command line a server
   * owning the database is given instead of this one (e.g. a file path made absolute: the server's working
   * directory is not the caller's).
   */
  withContext<T>(command: string, fn: (ctx: CliContext) => Promise<T>, o?: { forwardArgs?: string[] }): Promise<T>;
}

/** The command ran in the server owning the database; `code` is its exit code (nothing else to do here). */
export class RanOnServer extends Error {
  constructor(readonly code: number) {
    super(`ran on the server (exit code ${code})`);
  }
}

/** A command run by the `cpms` process itself; `args` is its argv after `cpms`, forwarded if needed. */
export function standaloneHost(args: string[], out: Out): CliHost {
  return {
    inServer: false,
    async withContext(command, fn, o) {
      // One-shot commands log warnings only, unless LOG_LEVEL asks for more (the environment wins over overrides).
      const config = loadConfig(undefined, { logLevel: 'warn' });
      const logger = createLogger(config.logLevel, { format: config.logFormat });
      let db: Knex;
      try {
        db = await openDatabase(config, logger, `cpms ${command}`);
      } catch (err) {
        if (!(err instanceof DataDirInUse)) throw err;
        throw new RanOnServer(await forwardToOwner(err, o?.forwardArgs ?? args, out));
      }
      try {
        return await fn({ db, config, logger, baseUrl: config.publicUrl || `http://localhost:${config.port}` });
      } finally {
        await db.destroy();
      }
    },
  };
}

/** A command received on the control socket of the running server: runs on the server's own context. */
export function serverHost(ctx: CliContext): CliHost {
  return {
    inServer: true,
    async withContext(command, fn) {
      // The command name only: arguments may hold secrets (a charger password, a partner's token).
      ctx.logger.info(`running \`cpms ${command}\` for a CLI client on the control socket`, { module: 'cli' });
      return fn(ctx);
    },
  };
}

async function forwardToOwner(inUse: DataDirInUse, args: string[], out: Out): Promise<number> {
  const path = controlSocketPath(inUse.dataDir);
  try {
    return await runOnServer(path, args, out);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw err;
    // Owned by something that takes no commands: another CLI command, or a server still starting.
    throw new Error(`${inUse.message}. It takes no CLI commands (nothing listens on ${path}): run this again once it has finished, or once \`cpms serve\` has started`);
  }
}

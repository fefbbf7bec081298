// The first admin API key (issue 7): without a key nobody could use the admin API, so the first start on
// a database without any key creates one. It must be shown once, but never through the logger: log
// lines are shipped to log stores. It goes into a file only the owner can read, and to the terminal
// when there is one; the log says only that a key was created and where the file is.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../shared/logger.ts';
import type { ApiKeyService } from './apikey.service.ts';

export const INITIAL_KEY_FILE = 'initial-admin-key';

export interface InitialKeyOptions {
  apiKeys: ApiKeyService;
  /** Where the key file goes (the node's DATA_DIR). */
  dataDir: string;
  logger: Logger;
  /** Writes straight to the operator's terminal (not the log stream); absent when stdout is no terminal. */
  terminal?: (text: string) => void;
}

/** Creates the first admin key if the database has none; returns its id and file, or undefined. */
export async function ensureInitialAdminKey(o: InitialKeyOptions): Promise<{ id: number; file: string } | undefined> {
  if (o.dataDir === 'memory://') {
    // No directory to put the file in: a key nobody can read would lock the admin API for good.
    if ((await o.apiKeys.list()).length === 0) o.logger.warn('No API key exists and DATA_DIR is memory://: create one with `cpms apikey create --role admin`', { module: 'access' });
    return undefined;
  }
  const file = join(resolve(o.dataDir), INITIAL_KEY_FILE);
  let created: string | undefined;
  const apiKey = await o.apiKeys.createFirstAdminKey('bootstrap', async (key) => {
    writeKeyFile(file, key);
    created = key;
  });
  if (!apiKey || !created) return undefined;
  o.logger.warn(
    `No API key existed: created admin API key ${apiKey.id} and wrote it to ${file} (readable by this user only). ` +
      'Store the key safely, then delete that file.',
    { module: 'access', apiKeyId: apiKey.id, file },
  );
  o.terminal?.(`\nAdmin API key (shown once here; also in ${file}):\n\n  ${created}\n\n`);
  return { id: apiKey.id, file };
}

/**
 * Writes `key` to `file` with mode 0600 from the start: a private file created with O_EXCL ('wx'), then
 * renamed over `file`. A file already there holds a key of an earlier start on a database since emptied,
 * which no longer exists, so it is replaced.
 */
function writeKeyFile(file: string, key: string): void {
  mkdirSync(resolve(file, '..'), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, `${key}\n`, { flag: 'wx', mode: 0o600 });
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

import { main } from '../../src/cli/index.ts';
import { serverHost } from '../../src/cli/context.ts';
import { createLogger } from '../../src/shared/logger.ts';
import type { TestApp } from './app.ts';

/** Runs `cpms <args>` as the control socket would: inside the test app; returns its exit code and printed lines. */
export async function runInServer(t: TestApp, ...args: string[]): Promise<{ code: number; lines: string[] }> {
  const logger = createLogger('error');
  logger.silent = true;
  const host = serverHost({ db: t.db, config: t.config, logger, app: t.app, baseUrl: t.httpUrl });
  const lines: string[] = [];
  const code = await main(['node', 'cpms', ...args], (l) => lines.push(l), host);
  return { code, lines };
}

// The control socket of `cpms serve` (issue 7): CLI commands sent by another process run in the server;
// output lines and the exit code come back. Real Unix sockets in a temporary directory, no database.
import { expect } from 'chai';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlSocketPath, listenControlSocket, runOnServer, type ControlServer } from '../../../src/cli/control-socket.ts';
import { createLogger, type Logger } from '../../../src/shared/logger.ts';

const logger = createLogger('error');
logger.silent = true;

describe('unit cli control socket', () => {
  let dir: string;
  let control: ControlServer | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cpms-ctl-'));
  });
  afterEach(async () => {
    await control?.close();
    control = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('should run the command in the server and bring back every output line and the exit code', async () => {
    control = await listenControlSocket({ dataDir: dir, logger, run: async (args, out) => {
      out(`ran ${args.join(' ')}`);
      out('second line');
      return 2;
    } });
    const lines: string[] = [];

    const code = await runOnServer(controlSocketPath(dir), ['token', 'add', 'TAG 1'], (l) => lines.push(l));

    expect(code).to.equal(2);
    expect(lines).to.deep.equal(['ran token add TAG 1', 'second line']);
  });

  it('should listen on DATA_DIR/cpms.sock with owner-only permissions, replacing a stale file left there', async () => {
    writeFileSync(join(dir, 'cpms.sock'), 'left by a killed server');

    control = await listenControlSocket({ dataDir: dir, logger, run: async () => 0 });

    expect(control!.path).to.equal(join(dir, 'cpms.sock'));
    expect(statSync(control!.path).isSocket()).to.equal(true);
    expect(statSync(control!.path).mode & 0o777).to.equal(0o600);
  });

  it('should answer a malformed request with exit code 2 and run nothing', async () => {
    let ran = 0;
    control = await listenControlSocket({ dataDir: dir, logger, run: async () => ++ran });
    const socket = createConnection(controlSocketPath(dir));
    let answer = '';
    socket.on('data', (c) => (answer += c));
    socket.write('{"args": [1, 2]}\n');
    await once(socket, 'close');

    expect(answer.trim().split('\n').map((l) => JSON.parse(l))).to.deep.equal([{ out: 'error: malformed control request' }, { exit: 2 }]);
    expect(ran).to.equal(0);
  });

  it('should let a running command finish before close() resolves, and remove the socket file', async () => {
    // Arrange: a command that runs until released
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const server = await listenControlSocket({ dataDir: dir, logger, run: async (_args, out) => {
      started();
      await released;
      out('done');
      return 0;
    } });
    const lines: string[] = [];
    const client = runOnServer(controlSocketPath(dir), ['job', 'run', 'x'], (l) => lines.push(l));
    await running;

    // Act
    const order: string[] = [];
    const closed = server!.close().then(() => order.push('closed'));
    await new Promise((r) => setImmediate(r));
    order.push('released');
    release();
    await closed;

    // Assert
    expect(await client).to.equal(0);
    expect(lines).to.deep.equal(['done']);
    expect(order).to.deep.equal(['released', 'closed']);
    expect(existsSync(controlSocketPath(dir))).to.equal(false);
  });

  it('should reject with ENOENT when no server listens, and say so when the server goes away mid-command', async () => {
    const none = await runOnServer(controlSocketPath(dir), ['token', 'add', 'X'], () => undefined).catch((e: NodeJS.ErrnoException) => e);
    const rude = createServer((s) => s.once('data', () => s.destroy()));
    rude.listen(controlSocketPath(dir));
    await once(rude, 'listening');
    const lost = await runOnServer(controlSocketPath(dir), ['token', 'add', 'X'], () => undefined).catch((e: Error) => e);
    await new Promise((r) => rude.close(r));

    expect((none as NodeJS.ErrnoException).code, String(none)).to.equal('ENOENT');
    expect((lost as Error).message).to.match(/closed the control socket .* before the command finished; it may or may not have run/);
  });

  it('should not listen, and warn that CLI commands will be refused, when the path is too long for a Unix socket', async () => {
    const warned: string[] = [];
    const warnOnly = { warn: (message: string) => void warned.push(message) } as unknown as Logger;

    control = await listenControlSocket({ dataDir: join(dir, 'x'.repeat(120)), logger: warnOnly, run: async () => 0 });

    expect(control).to.equal(undefined);
    expect(warned).to.have.length(1);
    expect(warned[0]).to.match(/^no CLI control socket: .* is longer than a Unix socket path may be \(use a shorter DATA_DIR\); CLI commands on this DATA_DIR are refused while the server runs/);
  });
});

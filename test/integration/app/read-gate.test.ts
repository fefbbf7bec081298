// A reconnect storm's handshake requests, all arriving at once, must not all be parsed in one turn of the
// event loop (issue 8): with the read gate, a turn parses at most `maxArmed` new requests, and every one is
// still answered. Without it (the control case) the same requests are parsed together.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gateNewConnections } from '../../../src/app/read-gate.ts';

const CLIENTS = 300;
const MAX_ARMED = 16;

// The clients run in a process of their own: nock (imported by other test files of the same run) wraps
// net.Socket, and its sockets then send one request per turn, not all at once. This one connects every socket,
// lets the server accept them, writes every request in one go, and prints how many were answered.
const BURST = `
const net = require('node:net');
const [port, n] = process.argv.slice(1).map(Number);
const sockets = Array.from({ length: n }, () => net.connect(port, '127.0.0.1'));
Promise.all(sockets.map((s) => new Promise((resolve, reject) => { s.once('connect', resolve); s.once('error', reject); })))
  .then(() => new Promise((resolve) => setTimeout(resolve, 200)))
  .then(() => {
    const answers = sockets.map((s) => new Promise((resolve) => { let text = ''; s.on('data', (d) => (text += d)); s.on('close', () => resolve(text)); }));
    for (const s of sockets) s.end('GET / HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n');
    return Promise.all(answers);
  })
  .then((texts) => process.stdout.write(String(texts.filter((t) => t.startsWith('HTTP/1.1 200') && t.endsWith('ok')).length)));
`;

/** CLIENTS sockets connect, then send their requests at once; resolves with the most requests one turn parsed. */
async function storm(server: Server): Promise<{ mostPerTurn: number; answered: number }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let inTurn = 0;
  let mostPerTurn = 0;
  server.on('request', (_req, res) => {
    inTurn++;
    res.end('ok');
  });
  // The check phase follows each poll phase: count the requests parsed between two of them.
  let isCounting = true;
  const tick = () => {
    mostPerTurn = Math.max(mostPerTurn, inTurn);
    inTurn = 0;
    if (isCounting) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    const child = spawn(process.execPath, ['-e', BURST, String(port), String(CLIENTS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code, 'the clients process').to.equal(0);
    return { mostPerTurn, answered: Number(out) };
  } finally {
    isCounting = false;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('integration app: new connections read through the read gate', () => {
  it(`should parse at most ${MAX_ARMED} of ${CLIENTS} requests arriving at once in one turn of the event loop, and answer them all`, async () => {
    // Arrange
    const server = createServer();
    gateNewConnections(server, { maxArmed: MAX_ARMED, armedTimeoutMs: 10_000 });

    // Act
    const { mostPerTurn, answered } = await storm(server);

    // Assert
    expect(answered).to.equal(CLIENTS);
    expect(mostPerTurn).to.be.within(1, MAX_ARMED);
  });

  it('should parse many of them in one turn without the gate (the case the gate is for)', async () => {
    // Arrange
    const server = createServer();

    // Act
    const { mostPerTurn, answered } = await storm(server);

    // Assert
    expect(answered).to.equal(CLIENTS);
    expect(mostPerTurn).to.be.above(MAX_ARMED);
  });
});

// A reconnect storm's handshake requests, all arriving at once, must not all be parsed in one turn of the
// event loop (issue 8): with the read gate, a turn parses at most `maxArmed` new requests, and every one is
// still answered. Without it (the control case) the same requests are parsed together.
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { gateNewConnections } from '../../../src/app/read-gate.ts';

const CLIENTS = 300;
const MAX_ARMED = 16;

/** Connects CLIENTS raw sockets, then writes every request in one go; resolves with the most requests one turn parsed. */
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
    const sockets: Socket[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const s = connect(port, '127.0.0.1');
        sockets.push(s);
        await once(s, 'connect');
      }),
    );
    // Give the server time to accept every connection before the requests come.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const answers = sockets.map(async (s) => {
      let text = '';
      s.on('data', (d) => (text += d));
      await once(s, 'end');
      return text;
    });
    for (const s of sockets) s.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const texts = await Promise.all(answers);
    return { mostPerTurn, answered: texts.filter((t) => t.startsWith('HTTP/1.1 200') && t.endsWith('ok')).length };
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

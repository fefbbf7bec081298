// The HTTP server every interface shares (OCPP handshakes, admin API, OCPI): a client that sends its
// headers (slowloris) or its body too slowly is answered 408 and disconnected (http.headersTimeoutSec,
// http.requestTimeoutSec), instead of holding a connection forever.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { trackOpen } from '../../helpers/leak-guard.ts';

// The slow client runs in a worker thread: nock (loaded by the test helpers) patches net sockets in this
// thread and would hold a partial HTTP request back instead of sending it to the server.
const SLOW_CLIENT = `
  const { parentPort, workerData } = require('node:worker_threads');
  const socket = require('node:net').connect(workerData.port, '127.0.0.1', () => socket.write(workerData.chunk));
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  socket.on('error', () => undefined);
  socket.on('close', () => parentPort.postMessage(received));
`;

describe('e2e HTTP server limits (slow clients)', () => {
  const t = useTestApp({ overrides: { 'http.headersTimeoutSec': 1, 'http.requestTimeoutSec': 2 } });

  /** A raw TCP client that sends `chunk` and nothing more; resolves with all it received once the server closed it. */
  async function sendAndWaitForClose(chunk: string): Promise<string> {
    const worker = new Worker(SLOW_CLIENT, { eval: true, workerData: { port: Number(new URL(t.httpUrl).port), chunk } });
    let isRunning = true;
    worker.once('exit', () => (isRunning = false));
    trackOpen({ name: 'slow HTTP client', isOpen: () => isRunning, forceClose: async () => void (await worker.terminate()) });
    const [received] = (await once(worker, 'message')) as [string];
    await worker.terminate();
    return received;
  }

  it('should answer 408 and close a connection whose request headers never end (slowloris)', async () => {
    const received = await sendAndWaitForClose('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n');

    expect(received).to.match(/^HTTP\/1\.1 408 /);
  });

  it('should answer 408 and close a WebSocket handshake to the OCPP endpoint whose headers never end', async () => {
    const received = await sendAndWaitForClose(`GET ${t.config.ocpp.path}/CP-slow HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n`);

    expect(received).to.match(/^HTTP\/1\.1 408 /);
  });

  it('should answer 408 and close a request whose body never arrives in full', async () => {
    const received = await sendAndWaitForClose(`POST /api/v1/chargers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"id":`);

    expect(received).to.match(/^HTTP\/1\.1 408 /);
  });
});

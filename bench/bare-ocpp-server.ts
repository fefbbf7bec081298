// The baseline of the ingest benchmark: a bare `ws` server that answers every OCPP-J CALL with a fixed
// CALLRESULT for its action (no validation, no storage, no authentication). Run as its own process by
// bench/ocpp-ingest.bench.ts: prints {"url": "ws://127.0.0.1:<port>/ocpp"} once listening.
import { WebSocketServer } from 'ws';

const FIXED: Record<string, () => unknown> = {
  BootNotification: () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }),
  Heartbeat: () => ({ currentTime: new Date().toISOString() }),
  Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
  StartTransaction: () => ({ transactionId: 1, idTagInfo: { status: 'Accepted' } }),
  StopTransaction: () => ({}),
};

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: undefined, handleProtocols: (protocols) => (protocols.has('ocpp1.6') ? 'ocpp1.6' : false) });
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as [number, string, string, unknown];
    if (msg[0] !== 2) return; // answers to our (never sent) calls
    ws.send(JSON.stringify([3, msg[1], FIXED[msg[2]]?.() ?? {}]));
  });
});
wss.on('listening', () => {
  const { port } = wss.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ url: `ws://127.0.0.1:${port}/ocpp` })}\n`);
});
process.on('SIGTERM', () => wss.close(() => process.exit(0)));

// Sends an HTTP/1.1 request byte for byte, from a worker thread: nock (loaded by the other helpers)
// intercepts every socket of this thread and would rewrite or refuse what a broken client sends (it
// gunzips a body with Content-Encoding: gzip itself and throws on one that is not gzip). A worker has its
// own `net`, untouched by nock, so the server sees exactly these bytes.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { checkIfOcpiAnswerOfApp } from './ocpi-contract.ts';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text (latin1), chunked encoding undone. */
  text: string;
  /** `text` parsed as JSON, undefined when it is not JSON. */
  json: any;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /**
   * Bytes sent after the headers; Content-Length is their length unless given in `headers` (a larger one
   * makes a client that announced more than it sends: the request is never finished).
   */
  body?: Buffer | string;
}

// The worker: connects, writes, collects the answer until the server closes or a complete answer arrived.
const WORKER = `
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { port, bytes } = workerData;
const socket = net.connect(port, '127.0.0.1', () => socket.write(Buffer.from(bytes)));
const chunks = [];
const finish = () => { parentPort.postMessage(Buffer.concat(chunks).toString('latin1')); socket.destroy(); };
socket.on('data', (c) => {
  chunks.push(c);
  const text = Buffer.concat(chunks).toString('latin1');
  const end = text.indexOf('\\r\\n\\r\\n');
  if (end < 0) return;
  const length = /\\r\\ncontent-length: *(\\d+)/i.exec(text.slice(0, end));
  if (length && Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(length[1])) finish();
  else if (/\\r\\ntransfer-encoding: *chunked/i.test(text.slice(0, end)) && text.endsWith('0\\r\\n\\r\\n')) finish();
});
socket.on('end', finish);
socket.on('error', (err) => { parentPort.postMessage('ERROR ' + err.message); });
`;

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0)) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}

function parse(raw: string): RawResponse {
  if (raw.startsWith('ERROR ')) throw new Error(`raw request failed: ${raw.slice(6)}`);
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(end + 4);
  const text = headers['transfer-encoding'] === 'chunked' ? dechunk(body) : body;
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, text, json };
}

/** Sends `req` to the server at `baseUrl` (http://127.0.0.1:port) and resolves with its answer. */
export async function rawHttp(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const body = req.body === undefined ? Buffer.alloc(0) : Buffer.from(req.body);
  const headers: Record<string, string> = { host: new URL(baseUrl).host, connection: 'close', ...req.headers };
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = String(body.length);
  const head = [`${req.method} ${req.path} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  const bytes = Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]);
  const worker = new Worker(WORKER, { eval: true, workerData: { port: Number(new URL(baseUrl).port), bytes } });
  try {
    const [raw] = (await once(worker, 'message')) as [string];
    const res = parse(raw);
    // An answer of a test app's OCPI interface is also checked against the official OCPI OpenAPI.
    checkIfOcpiAnswerOfApp(req.method, new URL(req.path, baseUrl), res.status, res.json ?? (res.text === '' ? undefined : res.text));
    return res;
  } finally {
    await worker.terminate();
  }
}

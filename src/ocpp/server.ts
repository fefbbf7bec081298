import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../shared/logger.ts';
import type { OcppProtocol } from './errors.ts';

/** The subprotocols we speak, in order of preference (OCPP-J 1.6 §3.1.2: Sec-WebSocket-Protocol). */
export const SUPPORTED_PROTOCOLS: readonly OcppProtocol[] = ['ocpp1.6'];

export interface Handshake {
  identity: string;
  /** Password from HTTP Basic auth (security profiles 1 and 2); undefined when none was sent. */
  password: string | undefined;
  protocol: OcppProtocol;
  remoteAddress: string | undefined;
  isTls: boolean;
}

/** Result of authenticating a handshake: accept, or refuse with an HTTP status before the socket opens. */
export type AuthDecision = { ok: true } | { ok: false; status: 401 | 403 | 404; reason: string };

export interface OcppServerOptions {
  path: string;
  protocols?: readonly OcppProtocol[];
  authenticate(handshake: Handshake): Promise<AuthDecision>;
  onConnection(ws: WebSocket, handshake: Handshake): void;
  logger: Logger;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' }[status] ?? 'Error';
  const headers = status === 401 ? 'WWW-Authenticate: Basic realm="ocpp"\r\n' : '';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n${headers}Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

/** Basic auth per OCPP security profile 1: the user name must equal the charger identity. */
function parseBasicPassword(header: string | undefined, identity: string): string | undefined {
  const match = header?.match(/^\s*basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const prefix = `${identity}:`;
  return decoded.startsWith(prefix) ? decoded.slice(prefix.length) : undefined;
}

// Control, format, surrogate, private-use and unassigned code points (\p{C}) and separators (\p{Z}).
const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

/**
 * OCPP-J 1.6 §3.1.1 leaves the identity's characters open (OCPP 2.0.1 calls it an identifierString);
 * we take 1-48 printable characters (chargeBoxIdentity is CiString48), no "/" (it is a path segment)
 * and no spaces or control characters (they cannot be a Basic-auth user name or a clean log field).
 */
export function isValidIdentity(identity: string): boolean {
  const length = [...identity].length;
  return length >= 1 && length <= 48 && !identity.includes('/') && !NOT_PRINTABLE.test(identity);
}

/** Picks the first protocol we prefer that the client offers. */
function negotiate(header: string | undefined, ours: readonly OcppProtocol[]): OcppProtocol | undefined {
  const offered = new Set((header ?? '').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean));
  return ours.find((p) => offered.has(p));
}

/**
 * Attaches the OCPP WebSocket endpoint `<path>/{chargePointId}` to an HTTP(S) server. Every check
 * (path, subprotocol, authentication) happens before the upgrade completes, so a refused charger
 * never gets an open socket.
 */
export function attachOcppServer(http: Server, opts: OcppServerOptions): { close(): void } {
  const protocols = opts.protocols ?? SUPPORTED_PROTOCOLS;
  const pending = new WeakMap<IncomingMessage, OcppProtocol>();
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (_offered, req) => pending.get(req) ?? false });
  const prefix = `${opts.path}/`;

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    socket.on('error', (err) => opts.logger.debug('upgrade socket error', { err: err.message }));
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(prefix)) return refuse(socket, 404, 'unknown endpoint');
    let identity: string;
    try {
      identity = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      return refuse(socket, 400, 'malformed charge point identity');
    }
    // Checked before anything else sees it: a NUL byte reached the database and came back as a 500.
    if (!isValidIdentity(identity)) return refuse(socket, 400, 'charge point identity must be 1-48 printable characters without "/" or spaces');
    const protocol = negotiate(req.headers['sec-websocket-protocol'], protocols);
    if (!protocol) return refuse(socket, 400, `no supported subprotocol offered (supported: ${protocols.join(', ')})`);
    const handshake: Handshake = {
      identity,
      password: parseBasicPassword(req.headers.authorization, identity),
      protocol,
      remoteAddress: req.socket.remoteAddress,
      isTls: 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted),
    };
    try {
      const decision = await opts.authenticate(handshake);
      if (!decision.ok) {
        opts.logger.warn('charger refused at handshake', { chargePointId: identity, status: decision.status, reason: decision.reason });
        return refuse(socket, decision.status, decision.reason);
      }
    } catch (err) {
      opts.logger.error('charger authentication failed', { chargePointId: identity, err: (err as Error).message });
      return refuse(socket, 500, 'authentication failed');
    }
    pending.set(req, protocol);
    wss.handleUpgrade(req, socket, head, (ws) => opts.onConnection(ws, handshake));
  };

  const listener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => void onUpgrade(req, socket, head);
  http.on('upgrade', listener);
  return {
    close() {
      http.off('upgrade', listener);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

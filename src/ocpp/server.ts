import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { newUuid } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import type { OcppProtocol } from './errors.ts';

/**
 * The subprotocols we speak, in order of preference (OCPP-J 1.6 §3.1.2, OCPP-J 2.0.1 §3.1.2:
 * Sec-WebSocket-Protocol): a charger offering 2.0.1 gets it, whatever else it offers.
 */
export const SUPPORTED_PROTOCOLS: readonly OcppProtocol[] = ['ocpp2.0.1', 'ocpp1.6'];

export interface Handshake {
  identity: string;
  /**
   * Password from HTTP Basic auth (security profiles 1 and 2) as the bytes sent: the AuthorizationKey of
   * the OCPP 1.6 security whitepaper is binary (configured as hex, sent as its bytes); undefined when none.
   */
  password: Buffer | undefined;
  protocol: OcppProtocol;
  remoteAddress: string | undefined;
  isTls: boolean;
  /** The TLS client certificate presented (security profile 3), undefined when none. */
  clientCertificate: ClientCertificate | undefined;
  /** Identifies the socket this handshake opens (charge_points.connection_id while it is the current one). */
  connectionId: string;
}

/** A client certificate as the TLS layer checked it against tls.caFile (chain and validity period). */
export interface ClientCertificate {
  /** Chains to a trusted CA and is within its validity period. */
  isTrusted: boolean;
  /** Why not (OpenSSL's code, e.g. CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE), when not trusted. */
  error: string | undefined;
  /** The subject's commonName (the charger identity for OCPP security profile 3). */
  commonName: string | undefined;
}

/** The client certificate of a TLS socket, or undefined (plain socket or no certificate sent). */
function readClientCertificate(socket: IncomingMessage['socket']): ClientCertificate | undefined {
  if (!(socket instanceof TLSSocket)) return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return undefined;
  const cn = cert.subject?.CN;
  const authError = socket.authorizationError as unknown as Error | string | null | undefined;
  return {
    isTrusted: socket.authorized,
    error: authError ? String((authError as { code?: string }).code ?? authError) : undefined,
    commonName: Array.isArray(cn) ? cn[0] : cn,
  };
}

/** Result of authenticating a handshake: accept, or refuse with an HTTP status before the socket opens. */
export type AuthDecision =
  | {
      ok: true;
      /** False for an onboarding charger admitted without credentials: it can never act as Accepted. */
      hasCredential: boolean;
      registrationStatus: 'Accepted' | 'Pending' | 'Rejected';
      /** The decision already recorded this socket as the charger's connection (released if it never opens). */
      claimed?: boolean;
    }
  | { ok: false; status: 401 | 403 | 404 | 409 | 429 | 503; reason: string; retryAfterSec?: number };

type Admitted = Extract<AuthDecision, { ok: true }>;

export interface OcppServerOptions {
  path: string;
  protocols?: readonly OcppProtocol[];
  /** Largest frame accepted; a bigger one closes the socket with 1009 (RFC 6455 §7.4.1) unread. */
  maxPayload: number;
  authenticate(handshake: Handshake): Promise<AuthDecision>;
  onConnection(ws: WebSocket, handshake: Handshake, decision: Admitted): void;
  /** An admitted handshake whose socket never opened (the client went away meanwhile). */
  onAbandoned(handshake: Handshake, decision: Admitted): void;
  /** An authentication that has not answered by then is refused with 503 (default 30 s); its late admission is abandoned. */
  authTimeoutMs?: number;
  logger: Logger;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

function refuse(socket: Duplex, status: number, reason: string, retryAfterSec?: number): void {
  let headers = status === 401 ? 'WWW-Authenticate: Basic realm="ocpp"\r\n' : '';
  if (retryAfterSec !== undefined) headers += `Retry-After: ${retryAfterSec}\r\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain\r\n${headers}Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
}

/** Basic auth per OCPP security profile 1: the user name must equal the charger identity. */
function parseBasicPassword(header: string | undefined, identity: string): Buffer | undefined {
  const match = header?.match(/^\s*basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64');
  const prefix = Buffer.from(`${identity}:`, 'utf8');
  return decoded.subarray(0, prefix.length).equals(prefix) ? decoded.subarray(prefix.length) : undefined;
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

/** The identity and subprotocol of an upgrade request, or the refusal (before any lookup). */
function readRequest(req: IncomingMessage, prefix: string, protocols: readonly OcppProtocol[]): { identity: string; protocol: OcppProtocol } | { status: number; reason: string } {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith(prefix)) return { status: 404, reason: 'unknown endpoint' };
  let identity: string;
  try {
    identity = decodeURIComponent(url.pathname.slice(prefix.length));
  } catch {
    return { status: 400, reason: 'malformed charge point identity' };
  }
  // Checked before anything else sees it: a NUL byte reached the database and came back as a 500.
  if (!isValidIdentity(identity)) return { status: 400, reason: 'charge point identity must be 1-48 printable characters without "/" or spaces' };
  const protocol = negotiate(req.headers['sec-websocket-protocol'], protocols);
  if (!protocol) return { status: 400, reason: `no supported subprotocol offered (supported: ${protocols.join(', ')})` };
  return { identity, protocol };
}

const DEFAULT_AUTH_TIMEOUT_MS = 30_000;
const TIMED_OUT = Symbol('timed out');

/** The authentication's decision, or TIMED_OUT after `authTimeoutMs`; an admission that comes later is abandoned. */
async function authenticateWithin(opts: OcppServerOptions, handshake: Handshake): Promise<AuthDecision | typeof TIMED_OUT> {
  const auth = opts.authenticate(handshake);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), opts.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS);
  });
  try {
    const first = await Promise.race([auth, deadline]);
    if (first === TIMED_OUT) void auth.then((late) => late.ok && opts.onAbandoned(handshake, late), () => undefined);
    return first;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Attaches the OCPP WebSocket endpoint `<path>/{chargePointId}` to an HTTP(S) server. Every check
 * (path, identity, subprotocol, authentication) happens before the upgrade completes, so a refused
 * charger never gets an open socket. `stopAccepting` refuses further handshakes with 503 (shutdown).
 */
export function attachOcppServer(http: Server, opts: OcppServerOptions) {
  const protocols = opts.protocols ?? SUPPORTED_PROTOCOLS;
  const pending = new WeakMap<IncomingMessage, OcppProtocol>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload, handleProtocols: (_offered, req) => pending.get(req) ?? false });
  const prefix = `${opts.path}/`;
  let isAccepting = true;

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    socket.on('error', (err) => opts.logger.debug('upgrade socket error', { err: err.message }));
    if (!isAccepting) return refuse(socket, 503, 'server shutting down', 5);
    const request = readRequest(req, prefix, protocols);
    if ('status' in request) return refuse(socket, request.status, request.reason);
    const { identity, protocol } = request;
    const handshake: Handshake = {
      identity,
      password: parseBasicPassword(req.headers.authorization, identity),
      protocol,
      remoteAddress: req.socket.remoteAddress,
      isTls: 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted),
      clientCertificate: readClientCertificate(req.socket),
      connectionId: newUuid(),
    };
    let decision: AuthDecision | typeof TIMED_OUT;
    try {
      decision = await authenticateWithin(opts, handshake);
    } catch (err) {
      opts.logger.error('charger authentication failed', { chargePointId: identity, err: (err as Error).message });
      return refuse(socket, 503, 'authentication unavailable: try again later', 5);
    }
    if (decision === TIMED_OUT) {
      opts.logger.warn('charger authentication timed out', { chargePointId: identity, timeoutMs: opts.authTimeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS });
      return refuse(socket, 503, 'authentication took too long: try again later', 5);
    }
    if (!decision.ok) {
      opts.logger.warn('charger refused at handshake', { chargePointId: identity, status: decision.status, reason: decision.reason, remoteAddress: handshake.remoteAddress });
      return refuse(socket, decision.status, decision.reason, decision.retryAfterSec);
    }
    // The server may have begun shutting down while the password was checked.
    if (!isAccepting) {
      opts.onAbandoned(handshake, decision);
      return refuse(socket, 503, 'server shutting down', 5);
    }
    pending.set(req, protocol);
    let opened = false;
    // handleUpgrade calls back synchronously, or not at all when the client already went away.
    wss.handleUpgrade(req, socket, head, (ws) => {
      opened = true;
      opts.onConnection(ws, handshake, decision);
    });
    if (!opened) opts.onAbandoned(handshake, decision);
  };

  const listener = (req: IncomingMessage, socket: Duplex, head: Buffer): void => void onUpgrade(req, socket, head);
  http.on('upgrade', listener);
  return {
    /** Refuses further handshakes with 503; open sockets are left to the caller. */
    stopAccepting(): void {
      isAccepting = false;
    },
    close(): void {
      isAccepting = false;
      http.off('upgrade', listener);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

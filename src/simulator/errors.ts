// What can go wrong with one call a simulated charger makes; each kind has a stable `code`, which is how
// the summary counts answers (`ok`, a CALLERROR code, `Timeout`, `Disconnected`).

/** The server answered with an OCPP-J CALLERROR (or a CALLERROR the charger sends back). */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CallError';
  }
}

/** No answer within the call timeout. */
export class CallTimeout extends Error {
  readonly code = 'Timeout';
  constructor(action: string, ms: number) {
    super(`no answer to ${action} within ${ms} ms`);
    this.name = 'CallTimeout';
  }
}

/** The connection closed before the answer came, or was not open. */
export class Disconnected extends Error {
  readonly code = 'Disconnected';
  constructor(message = 'not connected') {
    super(message);
    this.name = 'Disconnected';
  }
}

/** The server refused the WebSocket handshake (e.g. 401 for a wrong password). */
export class HandshakeRefused extends Error {
  readonly code = 'HandshakeRefused';
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HandshakeRefused';
  }
}

/** The code an outcome is counted under. */
export function resultCode(err: unknown): string {
  if (err instanceof CallError) return err.code;
  if (err instanceof CallTimeout || err instanceof Disconnected || err instanceof HandshakeRefused) return err.code;
  return 'ClientError';
}

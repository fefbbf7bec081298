import { AppError, Conflict, InvalidInput, NotFound, Timeout, Unauthorized, UpstreamFailed } from '../shared/errors.ts';
import { OcppError } from '../ocpp/errors.ts';

/** An error as it crosses the bus between nodes. */
export interface WireError {
  kind: string;
  message: string;
  rpcCode?: string;
}

const KINDS: Record<string, new (message: string) => AppError> = { NotFound, Conflict, InvalidInput, Unauthorized, UpstreamFailed, Timeout };

/** Serialises a domain error for another node; anything unknown becomes UpstreamFailed there. */
export function toWire(err: unknown): WireError {
  if (err instanceof OcppError) return { kind: 'OcppError', message: err.message, rpcCode: err.rpcCode };
  if (err instanceof AppError && err.name in KINDS) return { kind: err.name, message: err.message };
  return { kind: 'UpstreamFailed', message: `remote node failed: ${(err as Error)?.message ?? String(err)}` };
}

/** Rebuilds the domain error a remote node raised, so callers map it as if it were local. */
export function fromWire(w: WireError): AppError {
  if (w.kind === 'OcppError') return new OcppError(w.rpcCode ?? 'GenericError', w.message);
  const Cls = KINDS[w.kind] ?? UpstreamFailed;
  return new Cls(w.message);
}

import winston from 'winston';
import { currentLogContext } from './log-context.ts';
import { isSecretKey, redact, REDACTED } from './redact.ts';

export type Logger = winston.Logger;

/** `json`: one JSON object per line (for machines); `pretty`: a readable, coloured line; `auto`: pretty on a terminal. */
export type LogFormat = 'json' | 'pretty' | 'auto';

export interface LoggerOptions {
  format?: LogFormat;
  /** Whether stdout is a terminal (decides `auto`, and colours in `pretty`). */
  isTty?: boolean;
  /** Where lines go instead of stdout/stderr (tests). */
  stream?: NodeJS.WritableStream;
}

const COLOURS: Record<string, string> = { error: '31', warn: '33', info: '32', http: '36', verbose: '35', debug: '34', silly: '90' };
const NOT_FIELDS = new Set(['level', 'message', 'timestamp', 'module']);

/** Adds the request id / charger id of the work in progress (log-context.ts) unless the line has its own. */
const withContext = winston.format((info) => {
  const ctx = currentLogContext();
  if (ctx?.requestId && info.requestId === undefined) info.requestId = ctx.requestId;
  if (ctx?.chargePointId && info.chargePointId === undefined) info.chargePointId = ctx.chargePointId;
  return info;
});

/** Secrets never reach the log: fields named like one (password, token, authorization, key…) are replaced. */
const withoutSecrets = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (NOT_FIELDS.has(key)) continue;
    const value = info[key] instanceof Error ? { message: (info[key] as Error).message } : info[key];
    // A flag or a count named like a secret (hasCredential) is not one.
    const secret = isSecretKey(key) && (typeof value === 'string' || (typeof value === 'object' && value !== null));
    info[key] = secret ? REDACTED : redact(value);
  }
  return info;
});

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * One readable line with the same fields as the JSON line:
 * `2026-12-04T21:40:56.123Z INFO  [ocpp] charger connected chargePointId=CP-1 protocol=ocpp1.6`.
 */
export function prettyLine(info: Record<string, unknown>, colour: boolean): string {
  const level = String(info.level);
  const paint = (code: string | undefined, text: string) => (colour && code ? `\x1b[${code}m${text}\x1b[0m` : text);
  const head = [
    paint('90', String(info.timestamp ?? '')),
    paint(COLOURS[level], level.toUpperCase().padEnd(5)),
    info.module ? paint('1', `[${String(info.module)}]`) : undefined,
    String(info.message),
  ].filter((part) => part !== undefined && part !== '');
  const fields = Object.keys(info)
    .filter((key) => !NOT_FIELDS.has(key) && info[key] !== undefined && key !== 'stack')
    .map((key) => `${paint('90', `${key}=`)}${fieldText(info[key])}`);
  const stack = typeof info.stack === 'string' ? `\n${info.stack}` : '';
  return [...head, ...fields].join(' ') + stack;
}

/** Whether `format` means the readable line format on this output. */
export const isPretty = (format: LogFormat, isTty: boolean): boolean => format === 'pretty' || (format === 'auto' && isTty);

/** The root logger; modules derive children with `logger.child({ module, chargePointId })`. */
export function createLogger(level: string, o: LoggerOptions = {}): Logger {
  const isTty = o.isTty ?? Boolean(process.stdout.isTTY);
  const pretty = isPretty(o.format ?? 'auto', isTty);
  const common = [winston.format.timestamp(), winston.format.errors({ stack: true }), withContext(), withoutSecrets()];
  const last = pretty ? winston.format.printf((info) => prettyLine(info, isTty)) : winston.format.json();
  return winston.createLogger({
    level,
    format: winston.format.combine(...common, last),
    transports: [o.stream ? new winston.transports.Stream({ stream: o.stream }) : new winston.transports.Console({ stderrLevels: ['error', 'warn'] })],
  });
}

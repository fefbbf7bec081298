// Pure: secrets never reach the audit log (issue 9) nor the logs (issue 14). A value is replaced when its key names a secret
// (password, token, secret, credential, key, authorization) or when it looks like one of our secrets
// (an API key or a session token); errs on the side of redacting.

export const REDACTED = '[redacted]';

const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|credential|authori[sz]ation|cookie|(^|[^a-z])key$|apikey|api_key|key_?hash|^key$/i;
const SECRET_VALUE = /^cpms(op)?_[A-Za-z0-9_-]{20,}$/;

/** Whether a field called `key` holds a secret. */
export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key);

/** A deep copy of `value` with every secret replaced by REDACTED; JSON-compatible input assumed. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return REDACTED; // nothing legitimate nests this deep: refuse rather than recurse
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) && v !== null && v !== undefined ? REDACTED : redact(v, depth + 1);
  return out;
}

/**
 * CLI arguments with the value of every option naming a secret redacted (`--password x`, `--token=x`),
 * and any argument that looks like one of our secrets.
 */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    const option = /^--([^=]+)(=.*)?$/.exec(arg);
    if (option && isSecretKey(option[1])) {
      if (option[2] !== undefined) out.push(`--${option[1]}=${REDACTED}`);
      else {
        out.push(arg);
        if (i + 1 < args.length) out.push(REDACTED);
        i += 1;
      }
    } else out.push(SECRET_VALUE.test(arg) ? REDACTED : arg);
  }
  return out;
}

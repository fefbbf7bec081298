// Webhook request signing (issue 9): HMAC-SHA256 over the timestamp and body; the time is passed in.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-cpms-signature';

/**
 * The `X-Cpms-Signature` value of a request: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with
 * the webhook's secret>`. The timestamp is signed with the body, so a receiver can refuse old replays.
 */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** Whether `header` is a valid signature of `body` with `secret` made at most `toleranceSec` before `now` (what a receiver checks). */
export function verifySignature(secret: string, body: string, header: string, now: Date, toleranceSec = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(now.getTime() / 1000 - t) > toleranceSec) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  const given = Buffer.from(parts.v1);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

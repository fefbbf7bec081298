// Pure: OCPI SignedData from the signed meter values a charger sent (German Eichrecht meters). No I/O.
import type { Sample } from '../sessions/meter-values.ts';

/** OCPI 2.2.1 cdrs §10.4.8 SignedValue. */
export interface OcpiSignedValue {
  nature: string;
  plain_data: string;
  signed_data: string;
}

/** OCPI 2.2.1 cdrs §10.4.7 SignedData. */
export interface OcpiSignedData {
  encoding_method: string;
  public_key?: string;
  signed_values: OcpiSignedValue[];
}

/** The CDR's signed data, and what had to be left out of it to keep the CDR valid (for the log). */
export interface SignedDataResult {
  signedData?: OcpiSignedData;
  omitted: string[];
}

// OCPI 2.2.1 cdrs §10.4.7/§10.4.8: encoding_method CiString(36), public_key string(512),
// plain_data string(512), signed_data string(5000).
const MAX_ENCODING = 36;
const MAX_PUBLIC_KEY = 512;
const MAX_PLAIN = 512;
const MAX_SIGNED = 5000;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
// OCPI 2.2.1 types §16.7 string: no control characters.
const PRINTABLE = /^\P{Cc}*$/u;
const OCMF = /^OCMF\|(.*)\|[^|]*$/s;
const OCPP16_SIGNED_DATA = 'OCPP 1.6 SignedData';

/** OCPI 2.2.1 cdrs §10.4.8 nature: Start / End / Intermediate, from the OCPP ReadingContext. */
function natureOf(context: string): string {
  if (context === 'Transaction.Begin') return 'Start';
  if (context === 'Transaction.End') return 'End';
  return 'Intermediate';
}

/** The OCMF text of a value sent as it is (OCPP 1.6) or base64 encoded (OCPP 2.0.1 signedMeterData). */
function ocmfText(value: string): string | undefined {
  if (value.startsWith('OCMF|')) return value;
  if (!BASE64.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.startsWith('OCMF|') ? decoded : undefined;
}

/** The 2.0.1 encodingMethod, else OCMF when the blob is one, else the OCPP 1.6 format name. */
function encodingOf(s: Sample): string {
  return s.signing?.encodingMethod || (ocmfText(s.value.trim()) ? 'OCMF' : OCPP16_SIGNED_DATA);
}

const at = (s: Sample) => `signed value at ${s.timestamp.toISOString()} (${s.context})`;

/**
 * One SignedValue, or why it is left out. OCMF ("OCMF|<payload JSON>|<signature JSON>") keeps its payload as
 * plain data; other formats (and a payload over 512 characters) take the plain register reading of the same
 * instant. The blob is passed on base64 encoded (§10.4.8), as it came when it already is.
 */
function toSignedValue(s: Sample, plainReading: string | undefined): OcpiSignedValue | string {
  const value = s.value.trim();
  const signed = BASE64.test(value) ? value : Buffer.from(value, 'utf8').toString('base64');
  if (signed.length > MAX_SIGNED) return `${at(s)}: signed_data of ${signed.length} characters exceeds ${MAX_SIGNED}`;
  const payload = OCMF.exec(ocmfText(value) ?? '')?.[1];
  const plain = [payload, plainReading, value].find((p) => p !== undefined && p.length <= MAX_PLAIN && PRINTABLE.test(p));
  if (plain === undefined) return `${at(s)}: no plain_data of at most ${MAX_PLAIN} characters`;
  return { nature: natureOf(s.context), plain_data: plain, signed_data: signed };
}

/** The plain total register readings ("<value> <unit>") by instant: the plain data of a non-OCMF signed value. */
function plainReadings(samples: readonly Sample[]): Map<number, string> {
  const plainAt = new Map<number, string>();
  for (const s of samples) {
    if (s.format === 'Raw' && s.measurand === 'Energy.Active.Import.Register' && s.phase === null) {
      plainAt.set(s.timestamp.getTime(), `${s.value} ${s.unit ?? 'Wh'}`);
    }
  }
  return plainAt;
}

/** OCPI 2.2.1 cdrs §10.4.7 public_key: the first one the charger sent with the CDR's values, when it fits. */
function publicKeyOf(signed: readonly Sample[], omitted: string[]): { public_key?: string } {
  const key = signed.find((s) => s.signing?.publicKey)?.signing?.publicKey;
  if (!key) return {};
  if (key.length <= MAX_PUBLIC_KEY && PRINTABLE.test(key)) return { public_key: key };
  omitted.push(`public_key of ${key.length} characters: not a printable string of at most ${MAX_PUBLIC_KEY}`);
  return {};
}

/**
 * OCPI SignedData of a session from its SignedData samples (OCPP 1.6 §7.32 ValueFormat SignedData, OCPP 2.0.1
 * signedMeterValue), or none when there is no usable one. One SignedData has one encoding method: that of the
 * first value; values in another encoding, or too long for OCPI, are left out and named in `omitted`.
 */
export function toSignedData(samples: readonly Sample[]): SignedDataResult {
  const omitted: string[] = [];
  const all = samples.filter((s) => s.format === 'SignedData' && s.value.trim() !== '').sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  if (all.length === 0) return { omitted };
  const encoding = encodingOf(all[0]!);
  const plainAt = plainReadings(samples);
  const signed: Sample[] = [];
  const values: OcpiSignedValue[] = [];
  for (const s of all) {
    const v = encodingOf(s) === encoding ? toSignedValue(s, plainAt.get(s.timestamp.getTime())) : `${at(s)}: encoding ${encodingOf(s)}, not the CDR's ${encoding}`;
    if (typeof v === 'string') {
      omitted.push(v);
      continue;
    }
    values.push(v);
    signed.push(s);
  }
  if (values.length === 0) return { omitted };
  // CiString(36): printable ASCII; an OCPP 2.0.1 encodingMethod may be up to 50 characters.
  const name = encoding.replace(/[^\x20-\x7E]/g, '?').slice(0, MAX_ENCODING);
  if (name !== encoding) omitted.push(`encoding_method ${JSON.stringify(encoding)} sent as ${JSON.stringify(name)} (CiString(${MAX_ENCODING}))`);
  const signedData = { encoding_method: name, ...publicKeyOf(signed, omitted), signed_values: values };
  return { signedData, omitted };
}

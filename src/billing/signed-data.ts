// Pure: OCPI SignedData from the SignedData meter values a charger sent (German Eichrecht meters). No I/O.
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
  signed_values: OcpiSignedValue[];
}

const MAX_VALUE = 5000; // OCPI 2.2.1 cdrs §10.4.8: plain_data and signed_data are string(5000)
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** OCPI 2.2.1 cdrs §10.4.8 nature: Start / End / Intermediate, from the OCPP 1.6 §7.31 ReadingContext. */
function natureOf(context: string): string {
  if (context === 'Transaction.Begin') return 'Start';
  if (context === 'Transaction.End') return 'End';
  return 'Intermediate';
}

/**
 * OCMF ("OCMF|<payload JSON>|<signature JSON>", the format most Eichrecht meters send through OCPP 1.6
 * SignedData) keeps its payload as plain data; other vendor formats are passed through unchanged as the
 * signed blob, with the plain register reading taken at the same instant as plain data.
 */
function toSignedValue(s: Sample, plainReading: string | undefined): OcpiSignedValue {
  const value = s.value.trim();
  const signed = BASE64.test(value) ? value : Buffer.from(value, 'utf8').toString('base64');
  const ocmf = /^OCMF\|(.*)\|[^|]*$/s.exec(value);
  const plain = ocmf ? ocmf[1]! : (plainReading ?? value);
  return { nature: natureOf(s.context), plain_data: plain, signed_data: signed };
}

/**
 * OCPI SignedData of a session, or undefined when the charger sent no usable SignedData sample
 * (OCPP 1.6 §7.32 ValueFormat SignedData). Values too long for OCPI are left out.
 */
export function toSignedData(samples: readonly Sample[]): OcpiSignedData | undefined {
  const plainAt = new Map<number, string>();
  for (const s of samples) {
    if (s.format === 'Raw' && s.measurand === 'Energy.Active.Import.Register' && s.phase === null) {
      plainAt.set(s.timestamp.getTime(), `${s.value} ${s.unit ?? 'Wh'}`);
    }
  }
  const signed = samples
    .filter((s) => s.format === 'SignedData' && s.value.trim() !== '')
    .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime())
    .map((s) => toSignedValue(s, plainAt.get(s.timestamp.getTime())))
    .filter((v) => v.plain_data.length <= MAX_VALUE && v.signed_data.length <= MAX_VALUE);
  if (signed.length === 0) return undefined;
  const isOcmf = samples.some((s) => s.format === 'SignedData' && s.value.trim().startsWith('OCMF|'));
  return { encoding_method: isOcmf ? 'OCMF' : 'OCPP 1.6 SignedData', signed_values: signed };
}

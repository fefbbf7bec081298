// Pure: the OCPP security profile a handshake uses, and whether a charger may connect with it.
import type { Handshake } from '../ocpp/server.ts';

/**
 * OCPP 1.6 security whitepaper §2.1 (2.0.1 A00): 1 = Basic auth without TLS, 2 = Basic auth over TLS,
 * 3 = TLS with a client certificate. Behind a TLS-terminating proxy every handshake reads as profile 1.
 */
export function profileOf(h: Pick<Handshake, 'isTls' | 'clientCertificate'>): 1 | 2 | 3 {
  if (h.clientCertificate) return 3;
  return h.isTls ? 2 : 1;
}

/**
 * Why a presented client certificate does not authenticate `identity`, or undefined when it does: it must
 * chain to a trusted CA (tls.caFile), be within its validity period, and name the charger as its subject's
 * commonName (whitepaper §2.1.3: the Charge Point certificate's CN is its serial number = its identity).
 */
export function certificateProblem(cert: NonNullable<Handshake['clientCertificate']>, identity: string): string | undefined {
  if (!cert.isTrusted) return `client certificate not trusted (${cert.error ?? 'unknown reason'})`;
  if (cert.commonName !== identity) return 'client certificate subject CN does not match the charge point identity';
  return undefined;
}

/** Whitepaper §2.1: a charger raised to a profile may not fall back to a lower one. */
export function isBelowRecordedProfile(used: number, recorded: number | null): boolean {
  return recorded !== null && used < recorded;
}

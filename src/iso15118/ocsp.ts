import forge from 'node-forge';
import { InvalidInput } from '../shared/errors.ts';

// RFC 6960 OCSP with node-forge's ASN.1 (node:crypto has no OCSP): the request built from the CertID fields a
// 2.0.1 station sends (OCPP 2.0.1 M06 OCSPRequestDataType), and the two facts cpms reads from an answer.
// No I/O and no clock.

const { asn1 } = forge;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;

/** OCPP 2.0.1 HashAlgorithmEnumType → the NIST hash OIDs (RFC 5754 §2). */
const HASH_OIDS: Record<string, string> = { SHA256: '2.16.840.1.101.3.4.2.1', SHA384: '2.16.840.1.101.3.4.2.2', SHA512: '2.16.840.1.101.3.4.2.3' };
const BASIC_OCSP_RESPONSE = '1.3.6.1.5.5.7.48.1.1';
// RFC 6960 §4.2.1 OCSPResponseStatus.
const RESPONSE_STATUS = ['successful', 'malformedRequest', 'internalError', 'tryLater', '(unused)', 'sigRequired', 'unauthorized'];

export interface CertId {
  hashAlgorithm: string;
  issuerNameHash: string;
  issuerKeyHash: string;
  serialNumber: string;
}

export interface OcspAnswer {
  /** RFC 6960 responseStatus by name ("successful", "tryLater", …). */
  responseStatus: string;
  /** The earliest nextUpdate of its single responses, when every one carries one. */
  nextUpdate?: Date;
}

function hexBytes(hex: string, field: string): string {
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new InvalidInput(`${field}: must be an even number of hex digits`);
  return forge.util.hexToBytes(hex);
}

/** A positive INTEGER's DER content: no leading zero bytes, one 0x00 when the top bit is set (X.690 §8.3.2). */
function serialContent(hex: string): string {
  const trimmed = hex.length % 2 === 1 ? `0${hex}` : hex;
  let bytes = hexBytes(trimmed, 'serialNumber');
  while (bytes.length > 1 && bytes.charCodeAt(0) === 0 && bytes.charCodeAt(1) < 0x80) bytes = bytes.slice(1);
  return bytes.charCodeAt(0) >= 0x80 ? `\x00${bytes}` : bytes;
}

function certIdAsn1(c: CertId): forge.asn1.Asn1 {
  const oid = HASH_OIDS[c.hashAlgorithm];
  if (!oid) throw new InvalidInput(`hashAlgorithm: one of ${Object.keys(HASH_OIDS).join(', ')}`);
  return asn1.create(U, T.SEQUENCE, true, [
    asn1.create(U, T.SEQUENCE, true, [asn1.create(U, T.OID, false, asn1.oidToDer(oid).getBytes()), asn1.create(U, T.NULL, false, '')]),
    asn1.create(U, T.OCTETSTRING, false, hexBytes(c.issuerNameHash, 'issuerNameHash')),
    asn1.create(U, T.OCTETSTRING, false, hexBytes(c.issuerKeyHash, 'issuerKeyHash')),
    asn1.create(U, T.INTEGER, false, serialContent(c.serialNumber)),
  ]);
}

/** The DER OCSPRequest (RFC 6960 §4.1.1) asking for one certificate: v1, unsigned, no extensions (no nonce, so answers may be cached). */
export function buildOcspRequest(c: CertId): Buffer {
  const request = asn1.create(U, T.SEQUENCE, true, [certIdAsn1(c)]);
  const tbsRequest = asn1.create(U, T.SEQUENCE, true, [asn1.create(U, T.SEQUENCE, true, [request])]);
  return Buffer.from(asn1.toDer(asn1.create(U, T.SEQUENCE, true, [tbsRequest])).getBytes(), 'binary');
}

const children = (node: forge.asn1.Asn1): forge.asn1.Asn1[] => (Array.isArray(node.value) ? node.value : []);
const bytesOf = (node: forge.asn1.Asn1 | undefined): string => (node && typeof node.value === 'string' ? node.value : '');
const isContext = (node: forge.asn1.Asn1, tag: number) => node.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === tag;

/** SingleResponse (RFC 6960 §4.2.1): certID, certStatus, thisUpdate, then nextUpdate as [0] EXPLICIT. */
function nextUpdateOf(single: forge.asn1.Asn1): Date | undefined {
  const tagged = children(single).slice(3).find((n) => isContext(n, 0));
  const time = tagged ? children(tagged)[0] : undefined;
  return time ? asn1.generalizedTimeToDate(bytesOf(time)) : undefined;
}

/** The BasicOCSPResponse's single responses: tbsResponseData = [version], responderID, producedAt, responses. */
function singleResponses(basicDer: string): forge.asn1.Asn1[] {
  const tbs = children(asn1.fromDer(basicDer))[0];
  const fields = children(tbs);
  const responses = fields.find((n, i) => i > 0 && n.tagClass === U && n.type === T.SEQUENCE);
  return responses ? children(responses) : [];
}

/** Reads an OCSPResponse (RFC 6960 §4.2.1): its status and, for a basic response, the earliest nextUpdate. Throws InvalidInput when it is no DER OCSPResponse. */
export function readOcspResponse(der: Buffer): OcspAnswer {
  try {
    const [status, bytes] = children(asn1.fromDer(der.toString('binary')));
    const responseStatus = RESPONSE_STATUS[bytesOf(status).charCodeAt(0)] ?? 'unknown';
    const [type, response] = bytes ? children(children(bytes)[0]) : [];
    if (responseStatus !== 'successful' || asn1.derToOid(bytesOf(type)) !== BASIC_OCSP_RESPONSE) return { responseStatus };
    const updates = singleResponses(bytesOf(response)).map(nextUpdateOf);
    if (updates.length === 0 || updates.some((d) => d === undefined)) return { responseStatus };
    return { responseStatus, nextUpdate: new Date(Math.min(...updates.map((d) => (d as Date).getTime()))) };
  } catch (err) {
    throw new InvalidInput(`not a DER OCSPResponse: ${(err as Error).message}`);
  }
}

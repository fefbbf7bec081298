import type { GetCertificateStatusResponse, OCSPRequestDataType } from '../ocpp/v201/types.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { TtlMemo } from '../shared/ttl-memo.ts';
import { buildOcspRequest, readOcspResponse, type OcspAnswer } from './ocsp.ts';
import { failedStatus } from './status-info.ts';
import { postForBytes } from './outbound-post.ts';

export interface CertificateStatusOptions {
  clock: Clock;
  logger: Logger;
  timeoutMs: number;
  /** How long a good answer is reused: until its nextUpdate, at most this long (this long when it has none). */
  cacheSec: number;
  maxEntries?: number;
  /** Hosts (host or host:port) a station's responderURL may name; empty: any. */
  allowedHosts?: readonly string[];
}

// OCPP 2.0.1 GetCertificateStatusResponse: ocspResult (base64 DER) at most 5500 characters.
const MAX_RESULT_CHARS = 5500;
type Answer = GetCertificateStatusResponse;

/**
 * OCPP 2.0.1 M06 (GetCertificateStatus): the station cannot reach the V2G PKI's OCSP responder itself, so
 * cpms asks it and relays the DER answer. Good answers are shared per (issuerKeyHash, serial) until their
 * nextUpdate, and one request at a time per certificate reaches the responder (100 stations, one call).
 */
export class CertificateStatusService {
  private readonly memo: TtlMemo<string>;
  private readonly inFlight = new Map<string, Promise<Answer>>();

  constructor(private readonly o: CertificateStatusOptions) {
    this.memo = new TtlMemo(o.maxEntries ?? 10_000);
  }

  /** Never throws: any failure is the station's Failed answer. */
  async status(chargePointId: string, data: OCSPRequestDataType): Promise<Answer> {
    const key = `${data.issuerKeyHash.toLowerCase()}:${data.serialNumber.toLowerCase().replace(/^0+/, '')}`;
    const cached = this.memo.get(key, this.o.clock.now().getTime());
    if (cached !== undefined) return { status: 'Accepted', ocspResult: cached };
    const running = this.inFlight.get(key);
    if (running) return running;
    const asking = this.ask(chargePointId, key, data).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, asking);
    return asking;
  }

  private async ask(chargePointId: string, key: string, data: OCSPRequestDataType): Promise<Answer> {
    const epoch = this.memo.epoch();
    if (!this.isAllowed(data.responderURL)) return failedStatus('ResponderNotAllowed', 'the responderURL names a host outside iso15118.ocspAllowedHosts');
    try {
      const der = await postForBytes({ url: data.responderURL, contentType: 'application/ocsp-request', body: buildOcspRequest(data), timeoutMs: this.o.timeoutMs, maxBytes: 64 * 1024 });
      const answer = readAnswer(der);
      if (!('responseStatus' in answer)) return answer;
      const { responseStatus, nextUpdate } = answer;
      if (responseStatus !== 'successful') return failedStatus('OcspError', `OCSP responseStatus ${responseStatus}`);
      const ocspResult = der.toString('base64');
      if (ocspResult.length > MAX_RESULT_CHARS) return failedStatus('OcspTooLong', `OCSP response of ${ocspResult.length} base64 characters (at most ${MAX_RESULT_CHARS})`);
      this.memo.set(key, ocspResult, this.expiryMs(nextUpdate), epoch);
      return { status: 'Accepted', ocspResult };
    } catch (err) {
      this.o.logger.warn('OCSP request failed', { chargePointId, responderURL: data.responderURL, err: (err as Error).message });
      return failedStatus(err instanceof AppError ? reasonOf(err) : 'InternalError', (err as Error).message);
    }
  }

  // The station names the URL cpms POSTs to: an operator may keep it to the V2G PKI's responders.
  private isAllowed(responderURL: string): boolean {
    const hosts = this.o.allowedHosts ?? [];
    if (hosts.length === 0) return true;
    const url = URL.canParse(responderURL) ? new URL(responderURL) : undefined;
    return url !== undefined && (hosts.includes(url.host.toLowerCase()) || hosts.includes(url.hostname.toLowerCase()));
  }

  private expiryMs(nextUpdate: Date | undefined): number {
    const cap = this.o.clock.now().getTime() + this.o.cacheSec * 1000;
    return nextUpdate ? Math.min(nextUpdate.getTime(), cap) : cap;
  }
}

/** The responder's bytes read as an OCSPResponse, or the Failed answer when they are none. */
function readAnswer(der: Buffer): OcspAnswer | Answer {
  try {
    return readOcspResponse(der);
  } catch (err) {
    return failedStatus('InvalidOcspResponse', (err as Error).message);
  }
}

// StatusInfo.reasonCode (at most 20 characters) per domain error code.
const REASONS: Record<string, string> = { INVALID_INPUT: 'InvalidOcspData', TIMEOUT: 'OcspTimeout', UPSTREAM_FAILED: 'OcspUnreachable' };
const reasonOf = (err: AppError): string => REASONS[err.code] ?? 'InternalError';

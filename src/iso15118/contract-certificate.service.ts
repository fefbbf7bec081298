import type { Get15118EVCertificateRequest, Get15118EVCertificateResponse } from '../ocpp/v201/types.ts';
import type { Logger } from '../shared/logger.ts';
import { UpstreamFailed } from '../shared/errors.ts';
import { failedStatus } from './status-info.ts';
import { postForBytes } from './outbound-post.ts';

export interface ContractCertificateOptions {
  logger: Logger;
  /** The contract certificate pool (eMSP PKI) endpoint; empty: none, every request is Failed. */
  url: string;
  /** Sent as the Authorization header when not empty. */
  authorization: string;
  timeoutMs: number;
}

// OCPP 2.0.1 Get15118EVCertificateResponse: exiResponse is required, at most 5600 characters.
const MAX_EXI = 5600;
type Answer = Get15118EVCertificateResponse;

/** The pool's JSON answer as the station's: status and exiResponse checked, a statusInfo kept when it fits the schema. */
function readPoolAnswer(bytes: Buffer): Answer {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new UpstreamFailed('the pool answered no JSON');
  }
  const { status, exiResponse, statusInfo } = body ?? {};
  if (status !== 'Accepted' && status !== 'Failed') throw new UpstreamFailed('the pool answered no status Accepted or Failed');
  if (typeof exiResponse !== 'string' || exiResponse.length > MAX_EXI) throw new UpstreamFailed(`the pool answered no exiResponse of at most ${MAX_EXI} characters`);
  const info = statusInfo as { reasonCode?: unknown; additionalInfo?: unknown } | undefined;
  const hasInfo = typeof info?.reasonCode === 'string' && info.reasonCode.length <= 20;
  const additional = hasInfo && typeof info.additionalInfo === 'string' ? { additionalInfo: info.additionalInfo.slice(0, 512) } : {};
  return { status, exiResponse, ...(hasInfo ? { statusInfo: { reasonCode: info.reasonCode as string, ...additional } } : {}) };
}

/**
 * OCPP 2.0.1 M01/M02 (Get15118EVCertificate): the EV's CertificateInstallationReq/UpdateReq (EXI, base64) is
 * forwarded as it is to the configured contract certificate pool, which decodes it and answers the EXI
 * response; cpms decodes no EXI itself. Without a pool, or when it fails, the answer is Failed.
 */
export class ContractCertificateService {
  constructor(private readonly o: ContractCertificateOptions) {}

  /** Never throws: any failure is the station's Failed answer (exiResponse "", required by the schema). */
  async forward(chargePointId: string, req: Get15118EVCertificateRequest): Promise<Answer> {
    if (!this.o.url) return { ...failedStatus('NoCertificatePool', 'no contract certificate pool is configured (iso15118.contractCertificateUrl)'), exiResponse: '' };
    const body = JSON.stringify({ iso15118SchemaVersion: req.iso15118SchemaVersion, action: req.action, exiRequest: req.exiRequest });
    const headers = this.o.authorization ? { authorization: this.o.authorization } : undefined;
    try {
      return readPoolAnswer(await postForBytes({ url: this.o.url, contentType: 'application/json', body, headers, timeoutMs: this.o.timeoutMs, maxBytes: 64 * 1024 }));
    } catch (err) {
      this.o.logger.warn('contract certificate pool failed', { chargePointId, action: req.action, err: (err as Error).message });
      return { ...failedStatus('CertificatePoolError', (err as Error).message), exiResponse: '' };
    }
  }
}

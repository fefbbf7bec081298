import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { runDetached } from '../shared/background.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import * as repo from './certificate.repo.ts';
import { createCa, issueCertificate, readCsr, type CaMaterial } from './certificate-issuer.ts';
import { decryptWithSecret, encryptWithSecret } from './key-encryption.ts';

export interface CertificateOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  commands: CommandSender;
  callTimeoutMs: number;
  /** Encrypts the CA key at rest; empty: every CSR is refused. */
  caKeySecret: string;
  issuedCertificateDays: number;
  /** Names the CA generated on first use. */
  operatorName: string;
}

const CA_VALIDITY_DAYS = 3650;
// RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 16 random bytes with the top bit cleared and
// a first byte never 0 (DER's minimal encoding drops it: the certificate's serial would differ from the stored one).
const newSerial = (): string => {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) || 0x01;
  return b.toString('hex');
};

/**
 * The operator's own CA signing charger CSRs (OCPP 1.6 security whitepaper §3 "Installation of the Charge
 * Point certificate": SignCertificate, then CertificateSigned). The CA is generated on first use and its key
 * is kept encrypted in the database.
 */
export class CertificateService {
  constructor(private readonly o: CertificateOptions) {}

  /**
   * SignCertificate: Accepted when the CSR is well formed, signed by its key and names the charger as its
   * subject CN; the certificate then follows in a CertificateSigned (sent after this answer). Rejected otherwise.
   */
  async onSignCertificate(chargePointId: string, csrPem: string): Promise<{ status: 'Accepted' | 'Rejected' }> {
    const problem = this.csrProblem(chargePointId, csrPem);
    if (problem) {
      this.o.logger.warn('charger CSR refused', { chargePointId, problem });
      return { status: 'Rejected' };
    }
    runDetached(this.o.logger, `CertificateSigned to ${chargePointId}`, async () => {
      // After our SignCertificate.conf has gone out (one macrotask later): the charger expects it first.
      await new Promise((resolve) => setImmediate(resolve));
      await this.signAndSend(chargePointId, csrPem);
    });
    return { status: 'Accepted' };
  }

  /**
   * The renewal job: asks every charger whose newest certificate ends within `renewBeforeDays` for a new CSR
   * (ExtendedTriggerMessage SignChargePointCertificate; whitepaper §3). A charger that is offline or refuses
   * is asked again on the next run.
   */
  async renewExpiring(renewBeforeDays: number): Promise<{ due: number; triggered: number }> {
    const before = new Date(this.o.clock.now().getTime() + renewBeforeDays * 86_400_000);
    const due = await repo.listChargersWithCertificateEndingBefore(this.o.db, before);
    let triggered = 0;
    for (const chargePointId of due) {
      try {
        const { status } = await this.o.commands.send(chargePointId, 'ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }, this.o.callTimeoutMs);
        if (status === 'Accepted') triggered++;
        else this.o.logger.warn('charger refused a certificate renewal trigger', { chargePointId, answer: status });
      } catch (err) {
        this.o.logger.warn('certificate renewal trigger not delivered', { chargePointId, err: (err as Error).message });
      }
    }
    return { due: due.length, triggered };
  }

  list(f: Parameters<typeof repo.listIssuedCertificates>[1]): Promise<repo.IssuedCertificateRecord[]> {
    return repo.listIssuedCertificates(this.o.db, f);
  }

  private csrProblem(chargePointId: string, csrPem: string): string | undefined {
    if (!this.o.caKeySecret) return 'no operator CA: tls.caKeySecret is not configured';
    let csr;
    try {
      csr = readCsr(csrPem);
    } catch (err) {
      return `CSR cannot be read: ${(err as Error).message}`;
    }
    if (!csr.isSignatureValid) return 'CSR signature does not verify';
    if (csr.commonName !== chargePointId) return `CSR subject CN ${JSON.stringify(csr.commonName ?? null)} is not the charge point identity`;
    return undefined;
  }

  private async signAndSend(chargePointId: string, csrPem: string): Promise<void> {
    const now = this.o.clock.now();
    const ca = await this.operatorCa(now);
    const issued = issueCertificate(ca, csrPem, { now, validityDays: this.o.issuedCertificateDays, serialNumber: newSerial() });
    await repo.insertIssuedCertificate(this.o.db, { chargePointId, ...issued, issuedAt: now });
    // Whitepaper: certificateChain is the PEM of the new certificate followed by its issuing CA's.
    const { status } = await this.o.commands.send(chargePointId, 'CertificateSigned', { certificateChain: issued.certificatePem + ca.certificatePem }, this.o.callTimeoutMs);
    this.o.logger.info('charger certificate issued', { chargePointId, serialNumber: issued.serialNumber, notAfter: issued.notAfter.toISOString(), answer: status });
  }

  /** The stored CA (decrypted), or a new one stored first (another node may win: its CA is used). */
  private async operatorCa(now: Date): Promise<CaMaterial> {
    let stored = await repo.findOperatorCa(this.o.db);
    if (!stored) {
      const ca = await createCa({ commonName: `${this.o.operatorName} charger CA`, now, validityDays: CA_VALIDITY_DAYS, serialNumber: newSerial() });
      stored = await repo.insertOperatorCaIfAbsent(this.o.db, { certificatePem: ca.certificatePem, keyEncrypted: encryptWithSecret(ca.privateKeyPem, this.o.caKeySecret) }, now);
      this.o.logger.info('operator CA generated for charger certificates');
    }
    return { certificatePem: stored.certificatePem, privateKeyPem: decryptWithSecret(stored.keyEncrypted, this.o.caKeySecret) };
  }
}

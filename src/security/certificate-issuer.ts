import forge from 'node-forge';

// X.509 work of the operator CA with node-forge (node:crypto parses certificates but cannot read a CSR or
// issue a certificate). No I/O and no clock: dates and serial numbers are passed in.

export interface CaMaterial {
  certificatePem: string;
  privateKeyPem: string;
}

export interface CsrInfo {
  commonName: string | undefined;
  /** The CSR is signed by the key it carries (proof of possession). */
  isSignatureValid: boolean;
}

export interface IssuedCertificate {
  certificatePem: string;
  serialNumber: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

// X.509 times have whole seconds: the stored validity must be the certificate's own.
const wholeSeconds = (d: Date): Date => new Date(Math.floor(d.getTime() / 1000) * 1000);

const generateKeys = (): Promise<forge.pki.rsa.KeyPair> =>
  new Promise((resolve, reject) => forge.pki.rsa.generateKeyPair({ bits: 2048, workers: -1 }, (err, keys) => (err ? reject(err) : resolve(keys))));

/** A new self-signed operator CA (RSA 2048, SHA-256) valid for `validityDays` from `now`. */
export async function createCa(o: { commonName: string; now: Date; validityDays: number; serialNumber: string }): Promise<CaMaterial> {
  const keys = await generateKeys();
  const cert = forge.pki.createCertificate();
  cert.serialNumber = o.serialNumber;
  cert.publicKey = keys.publicKey;
  cert.validity.notBefore = wholeSeconds(o.now);
  cert.validity.notAfter = new Date(cert.validity.notBefore.getTime() + o.validityDays * 86_400_000);
  const name = [{ name: 'commonName', value: o.commonName }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(cert), privateKeyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** Reads a PEM CSR (PKCS#10); throws on one that cannot be parsed (or whose key is not RSA: node-forge's limit). */
export function readCsr(pem: string): CsrInfo {
  const csr = forge.pki.certificationRequestFromPem(pem);
  const cn = csr.subject.getField('CN') as { value?: string } | null;
  return { commonName: cn?.value, isSignatureValid: csr.verify() };
}

/** Issues the certificate of a (checked) CSR for `validityDays`, signed by the CA: a client/server auth leaf. */
export function issueCertificate(ca: CaMaterial, csrPem: string, o: { now: Date; validityDays: number; serialNumber: string }): IssuedCertificate {
  const csr = forge.pki.certificationRequestFromPem(csrPem);
  const caCert = forge.pki.certificateFromPem(ca.certificatePem);
  const cert = forge.pki.createCertificate();
  cert.serialNumber = o.serialNumber;
  cert.publicKey = csr.publicKey as forge.pki.PublicKey;
  cert.validity.notBefore = wholeSeconds(o.now);
  cert.validity.notAfter = new Date(cert.validity.notBefore.getTime() + o.validityDays * 86_400_000);
  cert.setSubject(csr.subject.attributes);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, keyEncipherment: true }, { name: 'extKeyUsage', clientAuth: true, serverAuth: true }]);
  cert.sign(forge.pki.privateKeyFromPem(ca.privateKeyPem), forge.md.sha256.create());
  const subject = csr.subject.attributes.map((a) => `${a.shortName ?? a.name}=${a.value}`).join(', ');
  return { certificatePem: forge.pki.certificateToPem(cert), serialNumber: o.serialNumber, subject, notBefore: cert.validity.notBefore, notAfter: cert.validity.notAfter };
}

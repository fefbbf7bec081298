export type CampaignStatus = 'SCHEDULED' | 'RUNNING' | 'FINISHED' | 'CANCELLED';

/** A firmware campaign (issue 9): OCPP 1.6 UpdateFirmware to a set of chargers within a time window. */
export interface FirmwareCampaign {
  id: number;
  name: string;
  location: string;
  windowStart: Date;
  windowEnd: Date;
  retries: number | null;
  retryInterval: number | null;
  /** OCPP 1.6 security whitepaper SignedUpdateFirmware: PEM of the certificate the firmware was signed with (with `signature`). */
  signingCertificate: string | null;
  /** Base64 signature of the firmware file; with a signing certificate the campaign sends SignedUpdateFirmware. */
  signature: string | null;
  status: CampaignStatus;
  createdBy: string;
  createdAt: Date;
}

/**
 * A charger in a campaign: PENDING (not sent yet), SENT (UpdateFirmware answered), NOT_SENT (the window
 * ended first), REQUEST_FAILED (CALLERROR or no answer), CANCELLED, or the last FirmwareStatusNotification
 * status (Downloading, Downloaded, DownloadFailed, Installing, Installed, InstallationFailed, Idle); a signed
 * campaign: the SignedUpdateFirmware.conf refusal (Rejected, InvalidCertificate, RevokedCertificate) or the last
 * SignedFirmwareStatusNotification status (the above and DownloadScheduled, DownloadPaused, InstallScheduled,
 * InstallRebooting, SignatureVerified, InvalidSignature, InstallVerificationFailed).
 */
export interface CampaignCharger {
  chargePointId: string;
  status: string;
  lastError: string | null;
  sentAt: Date | null;
  updatedAt: Date;
}

/** The statuses that count as failures of a campaign. */
export const FAILED_STATUSES = ['NOT_SENT', 'REQUEST_FAILED', 'DownloadFailed', 'InstallationFailed', 'Rejected', 'InvalidCertificate', 'RevokedCertificate', 'InvalidSignature', 'InstallVerificationFailed'] as const;

/** A campaign as the operator asks for it: its fields and the chargers it targets. */
export type NewCampaign = Pick<FirmwareCampaign, 'name' | 'location' | 'windowStart' | 'windowEnd' | 'retries' | 'retryInterval' | 'signingCertificate' | 'signature'> & { chargePointIds: string[] };

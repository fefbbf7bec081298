/** OCPP 1.6 security whitepaper GetLog.req logType. */
export const LOG_TYPES = ['DiagnosticsLog', 'SecurityLog'] as const;
export type LogType = (typeof LOG_TYPES)[number];

/** A GetLog request (issue 13) and what became of it. */
export interface LogRequest {
  /** Also the GetLog requestId the charger echoes in LogStatusNotification. */
  id: number;
  chargePointId: string;
  logType: string;
  oldestTimestamp: Date | null;
  latestTimestamp: Date | null;
  /**
   * CREATED (being sent), Offline / Failed (not sent), the GetLog.conf status (Accepted, Rejected,
   * AcceptedCanceled), then the last LogStatusNotification status (Uploading, Uploaded, UploadFailure,
   * BadMessage, NotSupportedOperation, PermissionDenied).
   */
  status: string;
  /** GetLog.conf filename, or the name the upload gave. */
  fileName: string | null;
  lastError: string | null;
  /** Size of the uploaded file; null until the charger uploaded it. */
  sizeBytes: number | null;
  uploadedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

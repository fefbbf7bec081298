// Pure: an OCPP 2.0.1 LogStatusNotification (N01) about a diagnostics request (1.6 GetDiagnostics sent as GetLog
// DiagnosticsLog, ocpp/v201/commands.ts) read as the 1.6 DiagnosticsStatusNotification status (§7.24). No I/O.

const DIAGNOSTICS_STATUS: Record<string, string> = {
  Uploading: 'Uploading', Uploaded: 'Uploaded',
  // The upload did not happen, whatever the reason: 1.6 knows only UploadFailed.
  UploadFailure: 'UploadFailed', BadMessage: 'UploadFailed', NotSupportedOperation: 'UploadFailed', PermissionDenied: 'UploadFailed',
};

/** The 1.6 DiagnosticsStatus of a 2.0.1 UploadLogStatus; undefined for Idle and AcceptedCanceled (nothing about the request). */
export function diagnosticsStatusOfLog(status: string): string | undefined {
  return DIAGNOSTICS_STATUS[status];
}

import { expect } from 'chai';
import { diagnosticsStatusOfLog } from '../../../src/fleet/diagnostics-status.ts';

describe('unit fleet/diagnostics-status (2.0.1 LogStatusNotification as 1.6 DiagnosticsStatus)', () => {
  it('OCPP201 N01: should read Uploading/Uploaded as they are, every failure as UploadFailed, and Idle/AcceptedCanceled as nothing', () => {
    const read = ['Uploading', 'Uploaded', 'UploadFailure', 'BadMessage', 'NotSupportedOperation', 'PermissionDenied', 'Idle', 'AcceptedCanceled'].map(diagnosticsStatusOfLog);

    expect(read).to.deep.equal(['Uploading', 'Uploaded', 'UploadFailed', 'UploadFailed', 'UploadFailed', 'UploadFailed', undefined, undefined]);
  });
});

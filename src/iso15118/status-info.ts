// Pure: the Failed answers of the ISO 15118 messages.

const MAX_INFO = 512;

/** `{status: 'Failed', statusInfo}` with additionalInfo cut to the schema's 512 characters. */
export function failedStatus(reasonCode: string, additionalInfo: string): { status: 'Failed'; statusInfo: { reasonCode: string; additionalInfo: string } } {
  return { status: 'Failed', statusInfo: { reasonCode, additionalInfo: additionalInfo.slice(0, MAX_INFO) } };
}

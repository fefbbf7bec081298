// Pure: the report a station sent in NotifyCustomerInformation parts, assembled by seqNo.
import type { CustomerInformationPart } from './customer-information.types.ts';

/**
 * OCPP 2.0.1 N09: parts come with seqNo from 0, the last with tbc false. The report is complete once that
 * last part and every one before it came (they may arrive out of order); `data` is their concatenation.
 */
export function assembleReport(parts: readonly CustomerInformationPart[]): { isComplete: boolean; data: string | null } {
  const ordered = [...parts].sort((a, b) => a.seqNo - b.seqNo);
  const last = ordered.find((p) => !p.tbc);
  if (!last) return { isComplete: false, data: null };
  const upToLast = ordered.filter((p) => p.seqNo <= last.seqNo);
  const isComplete = upToLast.length === last.seqNo + 1 && upToLast.every((p, i) => p.seqNo === i);
  return { isComplete, data: isComplete ? upToLast.map((p) => p.data).join('') : null };
}

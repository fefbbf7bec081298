/** Whom a CustomerInformation request is about (OCPP 2.0.1 N09/N10: one of the three). */
export type CustomerRef =
  | { idToken: { idToken: string; type: string } }
  | { customerIdentifier: string }
  | { customerCertificate: { hashAlgorithm: string; issuerNameHash: string; issuerKeyHash: string; serialNumber: string } };

/** A CustomerInformation request (issue 12) and what the station sent back. */
export interface CustomerInformationRequest {
  /** Also the requestId the station echoes in NotifyCustomerInformation. */
  id: number;
  chargePointId: string;
  report: boolean;
  clear: boolean;
  customer: CustomerRef;
  /** CREATED (being sent), NotSent (a 1.6 charger, or not connected), Failed (timeout, CALLERROR), or the station's answer: Accepted, Rejected, Invalid. */
  status: string;
  lastError: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One NotifyCustomerInformation message. */
export interface CustomerInformationPart {
  seqNo: number;
  data: string;
  tbc: boolean;
  generatedAt: Date;
}

/** A request with its report: `data` once every part up to the last (tbc false) came, else null. */
export interface CustomerInformationReport extends CustomerInformationRequest {
  partsReceived: number;
  isComplete: boolean;
  data: string | null;
}

/** OCPI 2.2.1 tokens §12.4.4 WhitelistType. */
export type Whitelist = 'ALWAYS' | 'ALLOWED' | 'ALLOWED_OFFLINE' | 'NEVER';
/** OCPI 2.2.1 tokens §12.4.5 TokenType. */
export type TokenType = 'AD_HOC_USER' | 'APP_USER' | 'OTHER' | 'RFID';

export interface IdToken {
  id: number;
  countryCode: string;
  partyId: string;
  uid: string;
  type: TokenType;
  contractId: string;
  visualNumber: string | null;
  issuer: string;
  groupId: string | null;
  valid: boolean;
  whitelist: Whitelist;
  language: string | null;
  expiryDate: Date | null;
  partnerFk: number | null;
  lastUpdated: Date;
}

/** OCPP 1.6 §7.2 AuthorizationStatus. */
export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';

export interface IdTagInfo {
  status: AuthorizationStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

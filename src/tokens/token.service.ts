import type { Knex } from 'knex';
import { InvalidInput } from '../shared/errors.ts';
import { getDefaultParty } from '../parties/party.service.ts';
import * as repo from './token.repo.ts';
import type { IdToken, TokenType, Whitelist } from './token.types.ts';

const TYPES: TokenType[] = ['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID'];
const WHITELISTS: Whitelist[] = ['ALWAYS', 'ALLOWED', 'ALLOWED_OFFLINE', 'NEVER'];

export interface LocalTokenInput {
  uid: string;
  type?: string;
  groupId?: string;
  contractId?: string;
  visualNumber?: string;
  whitelist?: string;
  expiryDate?: string;
}

/** The operator's own tokens (RFID cards, app users) issued under its default party. */
export class TokenService {
  constructor(private readonly o: { db: Knex }) {}

  async addLocal(input: LocalTokenInput): Promise<IdToken> {
    // OCPP 1.6 idTag is CiString20; OCPI Token.uid is CiString(36): the stricter rule applies to chargers.
    if (!/^[\x20-\x7e]{1,20}$/.test(input.uid)) throw new InvalidInput('uid: must be 1-20 printable ASCII characters (OCPP 1.6 idTag)');
    const type = (input.type ?? 'RFID') as TokenType;
    if (!TYPES.includes(type)) throw new InvalidInput(`type: must be one of ${TYPES.join(', ')}`);
    const whitelist = (input.whitelist ?? 'ALLOWED') as Whitelist;
    if (!WHITELISTS.includes(whitelist)) throw new InvalidInput(`whitelist: must be one of ${WHITELISTS.join(', ')}`);
    if (input.groupId !== undefined && (input.groupId.length === 0 || input.groupId.length > 36)) throw new InvalidInput('group: must be 1-36 characters');
    const expiry = input.expiryDate ? new Date(input.expiryDate) : null;
    if (expiry && Number.isNaN(expiry.getTime())) throw new InvalidInput('expiryDate: must be an ISO 8601 date-time');
    const party = await getDefaultParty(this.o.db);
    return repo.insertToken(this.o.db, {
      countryCode: party.countryCode,
      partyId: party.partyId,
      uid: input.uid,
      type,
      contractId: input.contractId ?? input.uid,
      issuer: party.name,
      visualNumber: input.visualNumber ?? null,
      groupId: input.groupId ?? null,
      whitelist,
      expiryDate: expiry,
    });
  }
}

import express, { type Request } from 'express';
import { assertOcpi } from '../ocpi/validate.ts';
import { sendOcpi } from '../ocpi/envelope.ts';
import { InvalidParams } from '../ocpi/errors.ts';
import type { OcpiModule } from '../ocpi/router.ts';
import { toOcpiToken } from './ocpi.mapper.ts';
import type { OcpiTokenService } from './ocpi-token.service.ts';
import type { OcpiToken, TokenKey, TokenType } from './token.types.ts';

const TOKEN_TYPES: readonly string[] = ['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID'];

/**
 * The token addressed by `{country_code}/{party_id}/{token_uid}[?type=…]` (tokens §12.2.1). `type`
 * defaults to RFID; when a PUT/PATCH body names its type and the URL does not, the body's type is used
 * (several eMSPs leave `?type` out for APP_USER tokens).
 */
function keyFromRequest(req: Request, bodyType?: unknown): TokenKey {
  const { country_code: countryCode, party_id: partyId, token_uid: uid } = req.params as Record<string, string>;
  const raw = req.query.type;
  if (raw !== undefined && (typeof raw !== 'string' || !TOKEN_TYPES.includes(raw))) throw new InvalidParams(`type: must be one of ${TOKEN_TYPES.join(', ')}`);
  const type = (raw ?? (typeof bodyType === 'string' && TOKEN_TYPES.includes(bodyType) ? bodyType : 'RFID')) as TokenType;
  if (countryCode.length !== 2) throw new InvalidParams('country_code: must be 2 characters');
  if (partyId.length !== 3) throw new InvalidParams('party_id: must be 3 characters');
  if (uid.length > 36) throw new InvalidParams('token_uid: at most 36 characters');
  return { countryCode, partyId, uid, type };
}

/** OCPI 2.2.1 tokens RECEIVER (§12.2.1): the eMSP pushes its tokens; GET returns our copy. */
export function tokensModule(deps: { tokens: OcpiTokenService }): OcpiModule {
  const router = express.Router();
  const path = '/:country_code/:party_id/:token_uid';

  router.get(path, async (req, res) => {
    const token = await deps.tokens.get(req.ocpi.partner, keyFromRequest(req));
    sendOcpi(res, toOcpiToken(token));
  });

  router.put(path, async (req, res) => {
    assertOcpi<OcpiToken>('Token', req.body);
    await deps.tokens.put(req.ocpi.partner, keyFromRequest(req, req.body.type), req.body);
    sendOcpi(res, undefined);
  });

  router.patch(path, async (req, res) => {
    // §12.2.1.3: any PATCH SHALL contain last_updated (the TokenPatch schema requires it)
    assertOcpi<Partial<OcpiToken> & { last_updated: string }>('TokenPatch', req.body);
    await deps.tokens.patch(req.ocpi.partner, keyFromRequest(req, req.body.type), req.body);
    sendOcpi(res, undefined);
  });

  return { id: 'tokens', role: 'RECEIVER', router };
}

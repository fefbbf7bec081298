// Pure mapping from the protocol-neutral authorization answer (1.6 idTagInfo shape) to OCPP 2.0.1's IdTokenInfoType.
import type { IdTagInfo } from './token.types.ts';
import type { IdTokenInfoType } from '../ocpp/v201/types.ts';

/**
 * OCPP 2.0.1 §2.30 IdTokenInfoType: status keeps its name (2.0.1 adds NoCredit, NotAllowedTypeOf...,
 * which cpms never answers), expiryDate becomes cacheExpiryDateTime and the parent id tag becomes a
 * groupIdToken of type Central (it is cpms's own group id, not a card).
 */
export function idTokenInfo(info: IdTagInfo): IdTokenInfoType {
  return {
    status: info.status,
    ...(info.expiryDate ? { cacheExpiryDateTime: info.expiryDate } : {}),
    ...(info.parentIdTag ? { groupIdToken: { idToken: info.parentIdTag, type: 'Central' } } : {}),
  };
}

// OCPI 2.2.1 tokens §12.2.2.2: what the eMSP's answer (or its absence) to a real-time authorization means.
import { expect } from 'chai';
import { classifyFailure, fromAuthorizationInfo, ocpiRealtimeAuthorizer } from '../../../src/tokens/realtime.client.ts';
import type { IdToken } from '../../../src/tokens/token.types.ts';

describe('tokens/realtime.client', () => {
  describe('classifyFailure', () => {
    const cases: Array<[string, Parameters<typeof classifyFailure>[0], string]> = [
      ['§12.2.2.2 HTTP 404 (token not known)', { httpStatus: 404 }, 'unknown'],
      ['status 2004 Unknown Token with HTTP 200', { httpStatus: 200, statusCode: 2004 }, 'unknown'],
      ['status 2002 not enough information', { httpStatus: 400, statusCode: 2002 }, 'rejected'],
      ['network error or timeout (no answer)', {}, 'unreachable'],
      ['HTTP 503', { httpStatus: 503 }, 'unreachable'],
      ['status 3000 server error', { httpStatus: 200, statusCode: 3000 }, 'unreachable'],
      ['HTTP 401 (our credentials refused)', { httpStatus: 401, statusCode: 2000 }, 'unreachable'],
    ];
    for (const [name, reply, kind] of cases) {
      it(`should classify ${name} as ${kind}`, () => {
        expect(classifyFailure(reply, 'why').kind).to.equal(kind);
      });
    }
  });

  describe('fromAuthorizationInfo', () => {
    it('§12.3.1: should keep allowed, authorization_reference and location', () => {
      expect(fromAuthorizationInfo({ allowed: 'NO_CREDIT', authorization_reference: 'R1', location: { location_id: 'L1', evse_uids: ['E1'] }, token: {} })).to.deep.equal({
        kind: 'answer', allowed: 'NO_CREDIT', authorizationReference: 'R1', location: { location_id: 'L1', evse_uids: ['E1'] },
      });
    });

    it('should reject a 1000 answer without a valid allowed value', () => {
      expect(fromAuthorizationInfo({ allowed: 'MAYBE' }).kind).to.equal('rejected');
      expect(fromAuthorizationInfo(undefined).kind).to.equal('rejected');
    });
  });

  describe('ocpiRealtimeAuthorizer', () => {
    const token = { id: 1, countryCode: 'de', partyId: 'abc', uid: 'U1', type: 'RFID', whitelist: 'ALLOWED', partnerFk: 7 } as IdToken;

    it('hubclientinfo §15.1: should answer unreachable without looking up or calling the hub when it reports the party OFFLINE', async () => {
      // Arrange: any call to the partner directory fails the test
      const asked: unknown[] = [];
      const authorizer = ocpiRealtimeAuthorizer({
        partners: { get: () => Promise.reject(new Error('the hub must not be called')) },
        clientInfo: { connectionStatusOf: async (hubFk, party) => (asked.push([hubFk, party]), 'OFFLINE') },
        timeoutMs: 1000,
      });
      // Act
      const outcome = await authorizer.authorize(token, undefined);
      // Assert
      expect(outcome).to.deep.equal({ kind: 'unreachable', reason: 'its hub reports de/abc OFFLINE (hubclientinfo): not called' });
      expect(asked).to.deep.equal([[7, { countryCode: 'de', partyId: 'abc' }]]);
    });
  });
});

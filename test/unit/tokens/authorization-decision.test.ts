// OCPI 2.2.1 tokens §12.4.5 WhitelistType × the eMSP's real-time answer (§12.2.2.2) → OCPP 1.6 §7.2
// AuthorizationStatus. Every whitelist is checked against every kind of outcome.
import { expect } from 'chai';
import { decide, decideRoaming, isAllowedHere, isCacheable, realtimePolicy, toOcppStatus, withConcurrentTx, withTokenRules } from '../../../src/tokens/authorization-decision.ts';
import type { AllowedType, IdToken, RealtimeOutcome, Whitelist } from '../../../src/tokens/token.types.ts';

const NOW = new Date('2025-03-01T10:00:00Z');

const aRoamingToken = (o: Partial<IdToken> = {}): IdToken => ({
  id: 1, countryCode: 'DE', partyId: 'EMS', uid: 'RFID01', type: 'RFID', contractId: 'DE-EMS-C1', visualNumber: null, issuer: 'EMS',
  groupId: null, valid: true, whitelist: 'ALLOWED', language: null, defaultProfileType: null, energyContract: null, expiryDate: null,
  partnerFk: 7, lastUpdated: NOW, lastUpdatedAsSent: null, ...o,
});

const ALLOWED_ANSWER: RealtimeOutcome = { kind: 'answer', allowed: 'ALLOWED', authorizationReference: 'REF-1' };
const BLOCKED_ANSWER: RealtimeOutcome = { kind: 'answer', allowed: 'BLOCKED' };
const UNKNOWN: RealtimeOutcome = { kind: 'unknown' };
const REJECTED: RealtimeOutcome = { kind: 'rejected', reason: '2002 not enough information' };
const UNREACHABLE: RealtimeOutcome = { kind: 'unreachable', reason: 'no answer within 5000 ms' };

interface Case {
  whitelist: Whitelist;
  outcome: RealtimeOutcome | undefined;
  /** Stored token valid (true) or blocked by its eMSP (false). */
  storedValid: boolean;
  status: string;
  authMethod: 'AUTH_REQUEST' | 'WHITELIST';
}

const cases: Case[] = [
  // ALWAYS: "CPO shall always allow any use of this Token": no real-time call, the stored token decides.
  { whitelist: 'ALWAYS', outcome: undefined, storedValid: true, status: 'Accepted', authMethod: 'WHITELIST' },
  { whitelist: 'ALWAYS', outcome: undefined, storedValid: false, status: 'Blocked', authMethod: 'WHITELIST' },
  { whitelist: 'ALWAYS', outcome: BLOCKED_ANSWER, storedValid: true, status: 'Accepted', authMethod: 'WHITELIST' },
  // ALLOWED: the eMSP's answer when it gives one, the stored token otherwise.
  { whitelist: 'ALLOWED', outcome: ALLOWED_ANSWER, storedValid: false, status: 'Accepted', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'ALLOWED', outcome: BLOCKED_ANSWER, storedValid: true, status: 'Blocked', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'ALLOWED', outcome: UNKNOWN, storedValid: true, status: 'Invalid', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'ALLOWED', outcome: REJECTED, storedValid: true, status: 'Accepted', authMethod: 'WHITELIST' },
  { whitelist: 'ALLOWED', outcome: UNREACHABLE, storedValid: true, status: 'Accepted', authMethod: 'WHITELIST' },
  { whitelist: 'ALLOWED', outcome: UNREACHABLE, storedValid: false, status: 'Blocked', authMethod: 'WHITELIST' },
  { whitelist: 'ALLOWED', outcome: undefined, storedValid: true, status: 'Accepted', authMethod: 'WHITELIST' },
  // ALLOWED_OFFLINE: real-time; the stored token only when the eMSP cannot be reached.
  { whitelist: 'ALLOWED_OFFLINE', outcome: ALLOWED_ANSWER, storedValid: true, status: 'Accepted', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'ALLOWED_OFFLINE', outcome: BLOCKED_ANSWER, storedValid: true, status: 'Blocked', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'ALLOWED_OFFLINE', outcome: UNKNOWN, storedValid: true, status: 'Invalid', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'ALLOWED_OFFLINE', outcome: REJECTED, storedValid: true, status: 'Invalid', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'ALLOWED_OFFLINE', outcome: UNREACHABLE, storedValid: true, status: 'Accepted', authMethod: 'WHITELIST' },
  { whitelist: 'ALLOWED_OFFLINE', outcome: UNREACHABLE, storedValid: false, status: 'Blocked', authMethod: 'WHITELIST' },
  // NEVER: real-time only; refused when the eMSP cannot be reached.
  { whitelist: 'NEVER', outcome: ALLOWED_ANSWER, storedValid: false, status: 'Accepted', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'NEVER', outcome: BLOCKED_ANSWER, storedValid: true, status: 'Blocked', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'NEVER', outcome: UNKNOWN, storedValid: true, status: 'Invalid', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'NEVER', outcome: REJECTED, storedValid: true, status: 'Invalid', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'NEVER', outcome: UNREACHABLE, storedValid: true, status: 'Invalid', authMethod: 'AUTH_REQUEST' },
  { whitelist: 'NEVER', outcome: undefined, storedValid: true, status: 'Invalid', authMethod: 'AUTH_REQUEST' },
];

const describeOutcome = (o: RealtimeOutcome | undefined) => (o === undefined ? 'no real-time call' : o.kind === 'answer' ? `answer ${o.allowed}` : o.kind);

describe('tokens/authorization-decision', () => {
  describe('decideRoaming: whitelist × real-time outcome', () => {
    for (const c of cases) {
      it(`OCPI 2.2.1 tokens §12.4.5 ${c.whitelist}, ${describeOutcome(c.outcome)}, stored ${c.storedValid ? 'valid' : 'blocked'}: should answer ${c.status}`, () => {
        const decision = decideRoaming(aRoamingToken({ whitelist: c.whitelist, valid: c.storedValid }), NOW, c.outcome);
        expect(decision.info.status).to.equal(c.status);
        expect(decision.authMethod).to.equal(c.authMethod);
      });
    }

    it('should keep the authorization_reference of an ALLOWED answer', () => {
      expect(decideRoaming(aRoamingToken(), NOW, ALLOWED_ANSWER).authorizationReference).to.equal('REF-1');
    });

    it('should fall back to an expired stored token as Expired when an ALLOWED token cannot be checked', () => {
      const token = aRoamingToken({ expiryDate: new Date('2025-02-01T00:00:00Z') });
      expect(decideRoaming(token, NOW, UNREACHABLE).info).to.deep.equal({ status: 'Expired', expiryDate: '2025-02-01T00:00:00.000Z' });
    });

    it('should decide the operator\'s own tokens (no partner) from the stored token whatever the outcome', () => {
      const own = aRoamingToken({ partnerFk: null, whitelist: 'ALLOWED' });
      expect(decideRoaming(own, NOW, BLOCKED_ANSWER).info.status).to.equal('Accepted');
    });

    it('§12.3.1: should refuse an ALLOWED answer whose location lists none of the EVSEs asked about', () => {
      const outcome: RealtimeOutcome = { kind: 'answer', allowed: 'ALLOWED', location: { location_id: 'LOC1', evse_uids: ['EVSE-9'] } };
      const decision = decideRoaming(aRoamingToken({ whitelist: 'NEVER' }), NOW, outcome, { location_id: 'LOC1', evse_uids: ['EVSE-1'] });
      expect(decision.info.status).to.equal('Invalid');
    });
  });

  describe('toOcppStatus', () => {
    const table: Array<[AllowedType, string]> = [['ALLOWED', 'Accepted'], ['BLOCKED', 'Blocked'], ['EXPIRED', 'Expired'], ['NO_CREDIT', 'Invalid'], ['NOT_ALLOWED', 'Invalid']];
    for (const [allowed, status] of table) {
      it(`should map AllowedType ${allowed} to OCPP 1.6 ${status}`, () => {
        expect(toOcppStatus(allowed)).to.equal(status);
      });
    }
  });

  describe('realtimePolicy and isCacheable', () => {
    it('should need no real-time call for ALWAYS and for tokens without a partner', () => {
      expect(realtimePolicy(aRoamingToken({ whitelist: 'ALWAYS' }))).to.equal('stored');
      expect(realtimePolicy(aRoamingToken({ whitelist: 'NEVER', partnerFk: null }))).to.equal('stored');
    });

    it('§12.4.5: should let only ALLOWED answers be reused from the cache (ALLOWED_OFFLINE and NEVER "shall" call)', () => {
      expect((['ALWAYS', 'ALLOWED', 'ALLOWED_OFFLINE', 'NEVER'] as Whitelist[]).filter((w) => isCacheable(aRoamingToken({ whitelist: w })))).to.deep.equal(['ALLOWED']);
    });
  });

  describe('isAllowedHere', () => {
    it('should accept an answer without location, or with one of the asked EVSEs', () => {
      expect(isAllowedHere(undefined, { location_id: 'L', evse_uids: ['A'] })).to.equal(true);
      expect(isAllowedHere({ location_id: 'L', evse_uids: ['B', 'A'] }, { location_id: 'L', evse_uids: ['A'] })).to.equal(true);
    });

    it('should refuse an answer for another location', () => {
      expect(isAllowedHere({ location_id: 'OTHER' }, { location_id: 'L' })).to.equal(false);
    });
  });

  describe('decide (stored token)', () => {
    it('should answer Invalid for an unknown token and Blocked for an invalid one', () => {
      expect(decide(undefined, NOW)).to.deep.equal({ status: 'Invalid' });
      expect(decide(aRoamingToken({ valid: false }), NOW)).to.deep.equal({ status: 'Blocked' });
    });
  });

  describe('withTokenRules (group id, concurrent sessions)', () => {
    const own = (o: Partial<IdToken> = {}) => aRoamingToken({ partnerFk: null, ...o });

    it('OCPP 1.6 IdTagInfo.parentIdTag: should answer the token\'s group id as parentIdTag', () => {
      expect(withTokenRules({ status: 'Accepted' }, own({ groupId: 'FLEET-7' }), false)).to.deep.equal({ status: 'Accepted', parentIdTag: 'FLEET-7' });
      expect(withTokenRules({ status: 'Blocked' }, own({ groupId: 'FLEET-7' }), false)).to.deep.equal({ status: 'Blocked', parentIdTag: 'FLEET-7' });
    });

    it('should leave parentIdTag out without a group, or for a group id longer than an OCPP 1.6 IdToken (20)', () => {
      expect(withTokenRules({ status: 'Accepted' }, own(), false)).to.deep.equal({ status: 'Accepted' });
      expect(withTokenRules({ status: 'Accepted' }, own({ groupId: 'G'.repeat(21) }), false)).to.deep.equal({ status: 'Accepted' });
    });

    it('OCPP 1.6 §7.2 ConcurrentTx: should refuse an accepted own token that has an active session elsewhere', () => {
      const info = { status: 'Accepted' as const, expiryDate: '2030-01-01T00:00:00.000Z' };
      expect(withTokenRules(info, own({ groupId: 'G1' }), true)).to.deep.equal({ status: 'ConcurrentTx', expiryDate: '2030-01-01T00:00:00.000Z', parentIdTag: 'G1' });
    });

    it('should keep a refusal as it is and leave a roaming token\'s concurrent sessions to its eMSP', () => {
      expect(withTokenRules({ status: 'Blocked' }, own(), true)).to.deep.equal({ status: 'Blocked' });
      expect(withTokenRules({ status: 'Accepted' }, aRoamingToken(), true)).to.deep.equal({ status: 'Accepted' });
    });

    it('withConcurrentTx: should turn only an Accepted answer into ConcurrentTx, keeping its other fields (the start rule applies it to the answer with parentIdTag)', () => {
      expect(withConcurrentTx({ status: 'Accepted', parentIdTag: 'G1' })).to.deep.equal({ status: 'ConcurrentTx', parentIdTag: 'G1' });
      expect(withConcurrentTx({ status: 'Expired' })).to.deep.equal({ status: 'Expired' });
    });
  });
});

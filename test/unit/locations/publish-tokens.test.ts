// The publication of a location as the operator enters it (OCPI 2.2.1 locations §8.3.1 publish /
// publish_allowed_to, §8.4.20 PublishTokenType rules).
import { expect } from 'chai';
import { readPublication, toAdminPublishTokens, TOKEN_TYPES } from '../../../src/locations/publish-tokens.ts';
import { InvalidInput } from '../../../src/shared/errors.ts';
import { readFileSync } from 'node:fs';

const enums = JSON.parse(readFileSync(new URL('../../../ocpi-schemas/enums.json', import.meta.url), 'utf8')).$defs;

describe('unit locations publish-tokens', () => {
  it('should know exactly the OCPI 2.2.1 TokenType values', () => expect([...TOKEN_TYPES]).to.deep.equal(enums.TokenType.enum));

  const valid: Array<{ name: string; publish: unknown; allowedTo: unknown; expected: unknown }> = [
    { name: 'should read a published location without a list', publish: true, allowedTo: undefined, expected: { publish: true, publishAllowedTo: null } },
    { name: 'should read an empty list of a published location as none', publish: true, allowedTo: [], expected: { publish: true, publishAllowedTo: null } },
    { name: 'should read an unpublished location shown to nobody (uc3)', publish: false, allowedTo: null, expected: { publish: false, publishAllowedTo: null } },
    {
      name: 'should turn the camelCase entries into OCPI wire objects',
      publish: false,
      allowedTo: [{ uid: '04A1B2', type: 'RFID' }, { visualNumber: 'NL-ABC-000123', issuer: 'eMSP X' }, { groupId: 'FLEET-1' }],
      expected: { publish: false, publishAllowedTo: [{ uid: '04A1B2', type: 'RFID' }, { visual_number: 'NL-ABC-000123', issuer: 'eMSP X' }, { group_id: 'FLEET-1' }] },
    },
  ];
  for (const c of valid) it(c.name, () => expect(readPublication(c.publish, c.allowedTo)).to.deep.equal(c.expected));

  const invalid: Array<{ name: string; publish: unknown; allowedTo: unknown; message: RegExp }> = [
    { name: 'should refuse a publish flag that is not a boolean', publish: 'false', allowedTo: undefined, message: /^publish: / },
    { name: '§8.3.1: should refuse a list on a published location', publish: true, allowedTo: [{ groupId: 'G' }], message: /^publishAllowedTo: may only be used when publish is false/ },
    { name: '§8.4.20: should refuse an entry without uid, visualNumber or groupId', publish: false, allowedTo: [{ issuer: 'X' }], message: /^publishAllowedTo\[0\]: needs uid, visualNumber or groupId$/ },
    { name: '§8.4.20: should refuse a uid without its type', publish: false, allowedTo: [{ groupId: 'G' }, { uid: 'U' }], message: /^publishAllowedTo\[1\]\.type: required with uid$/ },
    { name: '§8.4.20: should refuse a visual number without its issuer', publish: false, allowedTo: [{ visualNumber: 'V' }], message: /^publishAllowedTo\[0\]\.issuer: required with visualNumber$/ },
    { name: 'should refuse a token type outside the enum', publish: false, allowedTo: [{ uid: 'U', type: 'CARD' }], message: /^publishAllowedTo\[0\]\.type: must be one of AD_HOC_USER, / },
    { name: 'should refuse a uid longer than CiString(36)', publish: false, allowedTo: [{ uid: 'U'.repeat(37), type: 'RFID' }], message: /^publishAllowedTo\[0\]\.uid: / },
    { name: 'should refuse a control character', publish: false, allowedTo: [{ groupId: 'G\u0000' }], message: /^publishAllowedTo\[0\]\.groupId: / },
    { name: 'should refuse a wire-format (snake_case) key', publish: false, allowedTo: [{ group_id: 'G' }], message: /^publishAllowedTo\[0\]\.group_id: unknown field/ },
    { name: 'should refuse a list that is not an array', publish: false, allowedTo: { groupId: 'G' }, message: /^publishAllowedTo: must be a list/ },
    { name: 'should refuse an entry that is not an object', publish: false, allowedTo: ['G'], message: /^publishAllowedTo\[0\]: must be an object/ },
  ];
  for (const c of invalid) it(c.name, () => expect(() => readPublication(c.publish, c.allowedTo)).to.throw(InvalidInput, c.message));

  it('should give the admin API back what was entered', () => {
    const entered = [{ uid: '04A1B2', type: 'RFID' }, { visualNumber: 'NL-1', issuer: 'X' }, { groupId: 'G' }];
    expect(toAdminPublishTokens(readPublication(false, entered).publishAllowedTo)).to.deep.equal(entered);
    expect(toAdminPublishTokens(null)).to.equal(null);
  });
});

import { expect } from 'chai';
import { AJV_KEYWORD_CODES, OcppError, rpcCodeFor, toCallError } from '../../../src/ocpp/errors.ts';
import { Conflict, InvalidInput, NotFound, Timeout, Unauthorized, UpstreamFailed } from '../../../src/shared/errors.ts';

describe('unit ocpp/errors', () => {
  it('OCPP-J 1.6 §4.2.3: should use the 1.6 spellings FormationViolation and OccurenceConstraintViolation', () => {
    expect([rpcCodeFor('ocpp1.6', 'FormatViolation'), rpcCodeFor('ocpp1.6', 'OccurrenceConstraintViolation')]).to.deep.equal(['FormationViolation', 'OccurenceConstraintViolation']);
  });

  it('OCPP-J 2.0.1 §4.3: should use the 2.0.1 spellings FormatViolation, OccurrenceConstraintViolation and RpcFrameworkError', () => {
    expect([rpcCodeFor('ocpp2.0.1', 'FormatViolation'), rpcCodeFor('ocpp2.0.1', 'OccurrenceConstraintViolation'), rpcCodeFor('ocpp2.0.1', 'FrameworkError')]).to.deep.equal(['FormatViolation', 'OccurrenceConstraintViolation', 'RpcFrameworkError']);
  });

  it('should map ajv keywords to CALLERROR meanings like ocpp-rpc', () => {
    const pick = (k: string) => AJV_KEYWORD_CODES[k];
    expect([pick('type'), pick('required'), pick('enum'), pick('maxLength'), pick('additionalProperties'), pick('format')]).to.deep.equal([
      'TypeConstraintViolation',
      'OccurrenceConstraintViolation',
      'PropertyConstraintViolation',
      'PropertyConstraintViolation',
      'FormatViolation',
      'PropertyConstraintViolation',
    ]);
  });

  const domain: Array<[string, unknown, string]> = [
    ['InvalidInput', new InvalidInput('x: bad'), 'PropertyConstraintViolation'],
    ['NotFound', new NotFound('gone'), 'GenericError'],
    ['Conflict', new Conflict('dup'), 'GenericError'],
    ['Unauthorized', new Unauthorized('no'), 'SecurityError'],
    ['Timeout', new Timeout('slow'), 'GenericError'],
    ['UpstreamFailed', new UpstreamFailed('down'), 'GenericError'],
    ['a plain Error', new Error('boom at /secret/path'), 'InternalError'],
    // PostgreSQL SQLSTATE class 22 (data exception): 22003 out of range, 22008 year 0, 22021 NUL, 22P05 NUL in jsonb
    ['a database data exception 22003', Object.assign(new Error('value "2147483648" is out of range for type integer'), { code: '22003' }), 'PropertyConstraintViolation'],
    ['a database data exception 22008', Object.assign(new Error('date/time field value out of range'), { code: '22008' }), 'PropertyConstraintViolation'],
    ['a database data exception 22021', Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' }), 'PropertyConstraintViolation'],
    ['a database data exception 22P05', Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05' }), 'PropertyConstraintViolation'],
    ['another database error (23505)', Object.assign(new Error('duplicate key'), { code: '23505' }), 'InternalError'],
    ['a thrown string', 'boom', 'InternalError'],
  ];
  for (const [name, err, code] of domain) {
    it(`should map ${name} to the CALLERROR ${code}`, () => {
      expect(toCallError('ocpp1.6', err).rpcCode).to.equal(code);
    });
  }

  it('should pass an OcppError through and hide the message of an unknown error', () => {
    const own = new OcppError('SecurityError', 'not accepted');

    expect(toCallError('ocpp1.6', own)).to.equal(own);
    expect(toCallError('ocpp1.6', new Error('boom at /secret/path')).message).not.to.include('secret');
  });
});

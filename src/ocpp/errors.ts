import { isDataException } from '../db/pg-errors.ts';
import { AppError, Conflict, InvalidInput, NotFound, Timeout, Unauthorized, UpstreamFailed } from '../shared/errors.ts';

export type OcppProtocol = 'ocpp1.6' | 'ocpp2.0.1';

/** An OCPP-J CALLERROR, either to send to a charger or received from one. */
export class OcppError extends AppError {
  readonly rpcCode: string;
  readonly details: Record<string, unknown>;
  constructor(rpcCode: string, message: string, details: Record<string, unknown> = {}) {
    super(message, `OCPP_${rpcCode}`);
    this.rpcCode = rpcCode;
    this.details = details;
  }
}

// OCPP-J 1.6 §4.2.3 and OCPP-J 2.0.1 §4.3 name some codes differently (FormationViolation vs
// FormatViolation, Occurence vs Occurrence); the generic meaning is the first column.
type GenericCode = 'FormatViolation' | 'OccurrenceConstraintViolation' | 'PropertyConstraintViolation' | 'TypeConstraintViolation' | 'ProtocolError' | 'MessageTypeNotSupported' | 'FrameworkError';
const PROTOCOL_CODES: Record<OcppProtocol, Record<GenericCode, string>> = {
  'ocpp1.6': {
    FormatViolation: 'FormationViolation',
    OccurrenceConstraintViolation: 'OccurenceConstraintViolation',
    PropertyConstraintViolation: 'PropertyConstraintViolation',
    TypeConstraintViolation: 'TypeConstraintViolation',
    ProtocolError: 'ProtocolError',
    MessageTypeNotSupported: 'FormationViolation',
    FrameworkError: 'FormationViolation',
  },
  'ocpp2.0.1': {
    FormatViolation: 'FormatViolation',
    OccurrenceConstraintViolation: 'OccurrenceConstraintViolation',
    PropertyConstraintViolation: 'PropertyConstraintViolation',
    TypeConstraintViolation: 'TypeConstraintViolation',
    ProtocolError: 'ProtocolError',
    MessageTypeNotSupported: 'MessageTypeNotSupported',
    FrameworkError: 'RpcFrameworkError',
  },
};

/** The wire name of a generic error code in the given protocol version. */
export function rpcCodeFor(protocol: OcppProtocol, code: GenericCode): string {
  return PROTOCOL_CODES[protocol][code];
}

/** The one table from ajv keyword to CALLERROR meaning (cf. ocpp-rpc's errorCodeLUT). */
export const AJV_KEYWORD_CODES: Record<string, GenericCode> = {
  type: 'TypeConstraintViolation',
  required: 'OccurrenceConstraintViolation',
  minItems: 'OccurrenceConstraintViolation',
  maxItems: 'OccurrenceConstraintViolation',
  additionalProperties: 'FormatViolation',
  enum: 'PropertyConstraintViolation',
  const: 'PropertyConstraintViolation',
  format: 'PropertyConstraintViolation',
  pattern: 'PropertyConstraintViolation',
  maxLength: 'PropertyConstraintViolation',
  minLength: 'PropertyConstraintViolation',
  maximum: 'PropertyConstraintViolation',
  minimum: 'PropertyConstraintViolation',
  exclusiveMaximum: 'PropertyConstraintViolation',
  exclusiveMinimum: 'PropertyConstraintViolation',
  multipleOf: 'PropertyConstraintViolation',
};

/**
 * Maps an error thrown by a handler to the CALLERROR sent to the charger. Domain errors have a fixed
 * mapping, and so have database data exceptions; anything else is an InternalError (and is logged by the caller).
 */
export function toCallError(protocol: OcppProtocol, err: unknown): OcppError {
  if (err instanceof OcppError) return err;
  if (err instanceof InvalidInput) return new OcppError(rpcCodeFor(protocol, 'PropertyConstraintViolation'), err.message);
  if (err instanceof NotFound || err instanceof Conflict) return new OcppError('GenericError', err.message);
  if (err instanceof Unauthorized) return new OcppError('SecurityError', err.message);
  if (err instanceof Timeout || err instanceof UpstreamFailed) return new OcppError('GenericError', err.message);
  // Safety net behind the domain's range checks: a value the database refuses (SQLSTATE class 22) is the
  // payload's fault, and the transaction that would have stored it is rolled back.
  if (isDataException(err)) return new OcppError(rpcCodeFor(protocol, 'PropertyConstraintViolation'), 'a value in the payload cannot be stored (out of range, invalid date-time or NUL character)');
  return new OcppError('InternalError', 'An internal error occurred');
}

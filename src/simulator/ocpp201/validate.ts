// Checks frames against the official OCPP 2.0.1 JSON schemas: the CSMS's requests (a violation is answered
// with its CALLERROR, OCPP-J 2.0.1 Part 4 §4.3) and the station's own messages and answers.
import { schemaChecker } from '../schema-check.ts';

// ajv keyword → OCPP-J 2.0.1 RPC error code (2.0.1 corrects 1.6's FormationViolation / OccurenceConstraintViolation)
const CODES: Record<string, string> = {
  type: 'TypeConstraintViolation',
  required: 'OccurrenceConstraintViolation',
  minItems: 'OccurrenceConstraintViolation',
  maxItems: 'OccurrenceConstraintViolation',
  additionalProperties: 'FormatViolation',
};

export const ocpp201Schemas = schemaChecker({ bundle: 'ocpp2_0_1.json', idOf: (action, kind) => `urn:${action}.${kind}`, codes: CODES, fallbackCode: 'PropertyConstraintViolation' });

// Checks the server's commands against the official OCPP 1.6 JSON schemas, as a strict charger does, and
// names the CALLERROR code of a violation (OCPP-J 1.6 §4.2.3).
import { schemaChecker } from '../schema-check.ts';

// ajv keyword → OCPP-J 1.6 CALLERROR code (1.6 spells them FormationViolation, OccurenceConstraintViolation)
const CODES: Record<string, string> = {
  type: 'TypeConstraintViolation',
  required: 'OccurenceConstraintViolation',
  minItems: 'OccurenceConstraintViolation',
  maxItems: 'OccurenceConstraintViolation',
  additionalProperties: 'FormationViolation',
};

const checker = schemaChecker({ bundle: 'ocpp1_6.json', idOf: (action, kind) => `urn:${action}.${kind}`, codes: CODES, fallbackCode: 'PropertyConstraintViolation' });

/** Throws the CALLERROR a strict charger answers when `payload` is not a valid `<action>.req`. */
export const checkRequest = (action: string, payload: unknown): void => checker.checkRequest(action, payload);

import express, { type Router } from 'express';
import { parseSerialId } from '../admin/http.ts';
import { actorOf } from '../admin/authenticate.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { CustomerInformationService } from './customer-information.service.ts';
import type { CustomerRef } from './customer-information.types.ts';

const CUSTOMER_FIELDS = ['idToken', 'customerIdentifier', 'customerCertificate'] as const;

function requireBoolean(b: Record<string, unknown>, field: string): boolean {
  if (typeof b[field] !== 'boolean') throw new InvalidInput(`${field}: required boolean`);
  return b[field] as boolean;
}

/** OCPP 2.0.1 N09/N10: exactly one way of naming the customer (the rest of its shape is the 2.0.1 schema's to check). */
function readCustomer(b: Record<string, unknown>): CustomerRef {
  const given = CUSTOMER_FIELDS.filter((f) => b[f] !== undefined && b[f] !== null);
  if (given.length !== 1) throw new InvalidInput(`exactly one of ${CUSTOMER_FIELDS.join(', ')} is required`);
  const [field] = given;
  const value = b[field];
  if (field === 'customerIdentifier' ? typeof value !== 'string' || value.length === 0 || value.length > 64 : typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInput(field === 'customerIdentifier' ? 'customerIdentifier: a string of 1-64 characters' : `${field}: must be an object`);
  }
  return { [field]: value } as CustomerRef;
}

/** Admin API (issue 12): CustomerInformation requests to a 2.0.1 station and the reports they brought. */
export function customerInformationAdminRoutes(deps: { customerInformation: CustomerInformationService }): Router {
  const r = express.Router();
  r.post('/chargers/:id/customer-information', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const report = requireBoolean(b, 'report');
    const clear = requireBoolean(b, 'clear');
    if (!report && !clear) throw new InvalidInput('report, clear: at least one must be true');
    const ask = { chargePointId: req.params.id, report, clear, customer: readCustomer(b) };
    res.status(201).json(await deps.customerInformation.request(ask, actorOf(req)));
  });
  r.get('/chargers/:id/customer-information/:requestId', async (req, res) => {
    res.json(await deps.customerInformation.get(req.params.id, parseSerialId(req.params.requestId, 'requestId')));
  });
  return r;
}

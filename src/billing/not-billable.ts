import { Conflict } from '../shared/errors.ts';

/**
 * A stopped session cannot be billed as its data stands (no location, stop before start, pricing
 * failure…) or never is (INVALID). The message says why; admin HTTP 409 with code NOT_BILLABLE.
 */
export class NotBillable extends Conflict {
  override readonly code = 'NOT_BILLABLE';
}

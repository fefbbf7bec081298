import type { CurrencyTotals, Granularity } from './settlement.ts';

/** A settlement statement: the CDRs of one eMSP (or of the operator's own tokens) for one period. */
export interface Statement {
  id: number;
  /** The eMSP; null for the operator's own (local) tokens. */
  partnerFk: number | null;
  granularity: Granularity;
  periodStart: Date;
  periodEnd: Date;
  /** Periods are UTC days / months. */
  timeZone: 'UTC';
  cdrCount: number;
  /** CDRs created in an earlier, already closed period that this statement picked up. */
  lateCdrCount: number;
  totals: CurrencyTotals[];
  createdAt: Date;
}

import type { CurrencyTotals, Granularity } from './settlement.ts';

/** A settlement statement: the CDRs of one own party and one eMSP (or the operator's own tokens) for one period. */
export interface Statement {
  id: number;
  /** The own (CPO) party whose CDRs it covers. */
  partyFk: number;
  /** The eMSP; null for the operator's own (local) tokens. */
  partnerFk: number | null;
  granularity: Granularity;
  periodStart: Date;
  periodEnd: Date;
  /** The zone its period's local days / months are cut in: the own party's (UTC when it has none). */
  timeZone: string;
  cdrCount: number;
  /** CDRs created in an earlier, already closed period that this statement picked up. */
  lateCdrCount: number;
  totals: CurrencyTotals[];
  createdAt: Date;
}

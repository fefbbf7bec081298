import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import * as repo from './audit.repo.ts';
import type { AuditEntry, AuditFilter, NewAuditEntry } from './audit.repo.ts';
import { redact } from '../shared/redact.ts';

export type AuditRecord = Omit<NewAuditEntry, 'at'>;

/** The audit log: who changed what, when, from where; every value redacted before it is stored. */
export class AuditService {
  constructor(private readonly o: { db: Knex; clock: Clock }) {}

  record(e: AuditRecord): Promise<void> {
    return repo.insertAuditEntry(this.o.db, { ...e, at: this.o.clock.now(), before: redact(e.before), after: redact(e.after), request: redact(e.request) });
  }

  list(filter: AuditFilter): Promise<AuditEntry[]> {
    return repo.listAuditEntries(this.o.db, filter);
  }
}

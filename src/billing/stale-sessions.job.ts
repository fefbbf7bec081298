import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { SessionService } from '../sessions/session.service.ts';
import { listStaleSessions } from './cdr-source.repo.ts';

export interface StaleSessionsDeps {
  db: Knex;
  clock: Clock;
  logger: Logger;
  sessions: SessionService;
  staleAfterMin: number;
  /** Sessions closed per run at most (the next run takes the rest). */
  batchSize?: number;
}

/**
 * OCPP 1.6 StopTransaction that never comes (charger lost, replaced, wiped): an ACTIVE session whose charger
 * sent nothing at all (no meter value, no heartbeat, no other message) for `staleAfterMin` is stopped
 * by cpms with close reason STALE (SessionService.close: the ordinary stop path, so the same stop hooks
 * build, store and push its CDR) at the last known register reading and the charger's last message, with
 * OCPP reason `Other` (cpms does not know why it ended). A later StopTransaction for it is acknowledged,
 * and applied only when it carries newer data (the CDR is then credited and replaced).
 */
export async function closeStaleSessions(deps: StaleSessionsDeps): Promise<{ closed: number; failed: number }> {
  const cutoff = new Date(deps.clock.now().getTime() - deps.staleAfterMin * 60_000);
  const stale = await listStaleSessions(deps.db, cutoff, deps.batchSize ?? 500);
  const counts = { closed: 0, failed: 0 };
  for (const s of stale) {
    try {
      if (await deps.sessions.close(s.id, { reason: 'STALE', stopAt: s.lastKnownAt })) counts.closed++;
    } catch (err) {
      counts.failed++;
      deps.logger.error('closing a stale session failed', { sessionId: s.id, chargePointId: s.chargePointId, err: (err as Error).message });
    }
  }
  if (counts.closed > 0) deps.logger.info('stale sessions closed', counts);
  return counts;
}

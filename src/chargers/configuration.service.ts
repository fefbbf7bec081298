import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Db } from '../db/knex.ts';
import { confirmedKeys, HEARTBEAT_INTERVAL_KEY, parseHeartbeatInterval, type ConfirmedKey } from './configuration.ts';
import * as repo from './configuration.repo.ts';
import { updateChargePoint } from './charger.repo.ts';

export type ConfirmedKeysHook = (chargePointId: string, keys: ConfirmedKey[]) => Promise<void>;

/**
 * A charger's configuration as the charger confirms it (OCPP 1.6 §5.3 ChangeConfiguration, §5.8
 * GetConfiguration): what it answered is stored, and the values cpms itself relies on take effect at once
 * (HeartbeatInterval drives offline detection).
 */
export class ChargerConfigurationService {
  private readonly confirmedHooks: ConfirmedKeysHook[] = [];

  constructor(private readonly o: { db: Knex; clock: Clock }) {}

  /** Runs after the keys a charger confirmed are stored (e.g. connector data from vendor keys). */
  onConfirmed(hook: ConfirmedKeysHook): void {
    this.confirmedHooks.push(hook);
  }

  /** Records what the charger's answer to `action` confirmed; nothing for other actions or a refusal. */
  async recordAnswer(chargePointId: string, action: string, request: unknown, response: unknown): Promise<void> {
    const keys = confirmedKeys(action, request, response);
    if (keys.length === 0) return;
    const now = this.o.clock.now();
    await this.o.db.transaction(async (trx) => {
      await repo.upsertConfiguration(trx, chargePointId, keys, now);
      const heartbeat = keys.find((k) => k.key === HEARTBEAT_INTERVAL_KEY && k.status === 'Confirmed');
      const sec = parseHeartbeatInterval(heartbeat?.value);
      if (sec !== undefined) await updateChargePoint(trx, chargePointId, { heartbeat_interval_sec: sec });
    });
    for (const hook of this.confirmedHooks) await hook(chargePointId, keys);
  }

  list(chargePointId: string) {
    return repo.listConfiguration(this.o.db, chargePointId);
  }
}

/**
 * At a boot (`db` may be the boot's transaction): values accepted with RebootRequired are now in force,
 * and the HeartbeatInterval the charger confirmed, if any, is the interval to answer with (so the
 * operator's choice outlives a reboot: OCPP 1.6 §4.2, the charger adopts the interval of the answer).
 */
export async function configurationAtBoot(db: Db, chargePointId: string, at: Date): Promise<{ heartbeatIntervalSec: number | undefined }> {
  await repo.updateRebootRequiredToConfirmed(db, chargePointId, at);
  const stored = await repo.findConfigurationKey(db, chargePointId, HEARTBEAT_INTERVAL_KEY);
  return { heartbeatIntervalSec: stored?.status === 'Confirmed' ? parseHeartbeatInterval(stored.value) : undefined };
}

/**
 * Wraps a command sender so that every configuration answer is recorded, whoever sent the command (admin
 * API, jobs, other modules) and whichever node holds the socket. Recording never fails the command: a
 * failure is logged.
 */
export function recordingConfiguration(inner: CommandSender, configuration: ChargerConfigurationService, logger: Logger): CommandSender {
  return {
    async send(chargePointId, action, payload, timeoutMs) {
      const response = await inner.send(chargePointId, action, payload, timeoutMs);
      if (action === 'ChangeConfiguration' || action === 'GetConfiguration') {
        await configuration.recordAnswer(chargePointId, action, payload, response).catch((err: Error) => logger.error('recording the charger configuration failed', { chargePointId, action, err: err.message }));
      }
      return response;
    },
  };
}

import type { Knex } from 'knex';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { runDetached } from '../shared/background.ts';
import { applyLocalListUpdate, planLocalListUpdate, type LocalListEntry } from './local-list.ts';
import * as repo from './local-list.repo.ts';

/** OCPP 1.6 IdToken is CiString20: a longer group id cannot be a parentIdTag. */
const MAX_ID_TOKEN = 20;

export interface LocalListSyncResult {
  /** The charger's SendLocalList.conf status, UpToDate when nothing had to be sent, NotSupported for version -1. */
  status: 'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch' | 'UpToDate';
  listVersion: number;
  updateType?: 'Full' | 'Differential';
  entries?: number;
}

/**
 * Keeps each charger's OCPP 1.6 local authorization list (§3.5) equal to what the access rules allow
 * there: GetLocalListVersion to check what the charger holds, then SendLocalList (Differential when the
 * charger holds the version cpms last had accepted, Full otherwise). Run by the job local-auth-lists and
 * soon after every change of rules, members or token owners.
 */
export class LocalListService {
  /** One sync per charger at a time on this node (across nodes, versions are reserved in SQL). */
  private readonly running = new Map<string, Promise<LocalListSyncResult>>();

  constructor(private readonly o: { db: Knex; clock: Clock; logger: Logger; commands: CommandSender; callTimeoutMs: number }) {}

  sync(chargePointId: string): Promise<LocalListSyncResult> {
    const previous = this.running.get(chargePointId) ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.syncNow(chargePointId));
    this.running.set(chargePointId, next);
    const forget = () => void (this.running.get(chargePointId) === next && this.running.delete(chargePointId));
    next.then(forget, forget);
    return next;
  }

  /** Every connected charger with rules or a list; one charger's failure is logged and counted, never stops the rest. */
  async syncAll(): Promise<{ checked: number; sent: number; failed: number }> {
    const totals = { checked: 0, sent: 0, failed: 0 };
    for (const id of await repo.listChargersForLocalLists(this.o.db)) {
      totals.checked++;
      try {
        const result = await this.sync(id);
        if (result.status !== 'UpToDate') totals.sent++;
        if (result.status !== 'UpToDate' && result.status !== 'Accepted') totals.failed++;
      } catch (err) {
        totals.failed++;
        this.o.logger.warn('local list sync failed', { chargePointId: id, err: (err as Error).message });
      }
    }
    return totals;
  }

  private isSyncingAll = false;
  private isAgainNeeded = false;

  /**
   * Fire and forget after a change of access (the admin request does not wait for the chargers). Changes
   * made while a pass runs are coalesced into one more pass after it.
   */
  syncAllSoon(): void {
    if (this.isSyncingAll) {
      this.isAgainNeeded = true;
      return;
    }
    this.isSyncingAll = true;
    runDetached(this.o.logger, 'local list sync', async () => {
      try {
        do {
          this.isAgainNeeded = false;
          await this.syncAll();
        } while (this.isAgainNeeded);
      } finally {
        this.isSyncingAll = false;
      }
    });
  }

  state(chargePointId: string): Promise<repo.LocalListState | undefined> {
    return repo.findLocalList(this.o.db, chargePointId);
  }

  private async syncNow(chargePointId: string): Promise<LocalListSyncResult> {
    const { db, clock, commands, callTimeoutMs } = this.o;
    const stored = await repo.findLocalList(db, chargePointId);
    const { listVersion: chargerVersion } = await commands.send(chargePointId, 'GetLocalListVersion', {}, callTimeoutMs);
    // OCPP 1.6 §6.23 (errata): -1 = the charger has no local authorization list.
    if (chargerVersion < 0) {
      await repo.upsertLocalListAttempt(db, chargePointId, 'NotSupported', clock.now());
      return { status: 'NotSupported', listVersion: chargerVersion };
    }
    const planned = planLocalListUpdate(stored?.sent, chargerVersion, await this.desiredEntries(chargePointId));
    if (!planned) return { status: 'UpToDate', listVersion: chargerVersion };
    // Another node may be syncing this charger too: the version is reserved in SQL (never sent twice).
    const update = { ...planned, listVersion: await repo.reserveLocalListVersion(db, chargePointId, planned.listVersion) };
    const { status } = await commands.send(chargePointId, 'SendLocalList', update, callTimeoutMs);
    if (status === 'Accepted') await repo.upsertAcceptedLocalList(db, chargePointId, applyLocalListUpdate(stored?.sent, update), clock.now());
    else await repo.upsertLocalListAttempt(db, chargePointId, status, clock.now());
    return { status, listVersion: update.listVersion, updateType: update.updateType, entries: update.localAuthorizationList?.length ?? 0 };
  }

  private async desiredEntries(chargePointId: string): Promise<LocalListEntry[]> {
    const tokens = await repo.listLocalListTokens(this.o.db, chargePointId, this.o.clock.now());
    return tokens.map((t) => {
      const info: LocalListEntry['idTagInfo'] = { status: 'Accepted' };
      if (t.expiryDate) info.expiryDate = new Date(t.expiryDate).toISOString();
      if (t.groupId && t.groupId.length <= MAX_ID_TOKEN) info.parentIdTag = t.groupId;
      return { idTag: t.uid, idTagInfo: info };
    });
  }
}

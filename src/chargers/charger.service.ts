import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { DomainEvents } from '../shared/events.ts';
import { scryptPasswords, type PasswordHasher } from '../shared/password.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { BootNotificationRequest, BootNotificationResponse } from '../ocpp/v16/types.ts';
import type { Db } from '../db/knex.ts';
import { GroupCommitWriter } from '../db/group-commit.ts';
import { getLocation } from '../locations/location.service.ts';
import * as repo from './charger.repo.ts';
import type { ChargePoint, ChargerEventHook, Connector, EvseStatusOverride, RegistrationStatus, StatusReport } from './charger.types.ts';
import type { StatusItem } from './status-batch.repo.ts';
import { recomputeEvseStatuses, type EvseStatusChange } from './evse-status.ts';
import { listEvseFksOfChargePoints } from './evse-status.repo.ts';
import { createBootWriter, type BootItem, type BootWritten } from './boot-writer.ts';
import { createStatusWriter, type WrittenStatus } from './status-writer.ts';
import { ensureConnectorOf, placeChargerAt, type EvseLayoutHooks } from './evse-layout.ts';
import { OCCUPIED_STATUSES } from './ocpp201.mapper.ts';

export interface ChargerServiceOptions {
  db: Knex;
  clock: Clock;
  events: DomainEvents;
  logger: Logger;
  nodeId: string;
  heartbeatIntervalSec: number;
  pendingIntervalSec: number;
  /** Charger password hashing (async scrypt unless a test injects a spy). */
  passwords?: PasswordHasher;
  /** Group commit of StatusNotification (config ingest); defaults: 5 ms window, 500 per transaction. */
  ingest?: { batchWindowMs: number; maxBatch: number; maxConcurrentBatches?: number };
}

const CHARGER_ID = /^[A-Za-z0-9._:*@+-]{1,48}$/;

export type { EvseStatusChange };

/** Runs inside the transaction that changed the status of EVSEs, once with all of them (partner pushes). */
export type EvseStatusHook = (trx: Knex.Transaction, changes: readonly EvseStatusChange[]) => Promise<void>;
/** Runs inside the transaction that changed an EVSE's make-up: a charger attached, a connector first reported or moved, connector data. */
export type EvseChangedHook = (trx: Knex.Transaction, evseFk: number) => Promise<void>;
/** Runs inside the transaction in which an EVSE lost its last connector and became REMOVED. */
export type EvseRemovedHook = (trx: Knex.Transaction, evseFk: number) => Promise<void>;

/** Charger lifecycle: registration, authentication, boot, heartbeat, status, faults, connection state. */
// For other domains, inside their own transaction (`db` may be one).

/** The charger's connector, registered on first sight on its own EVSE (see evse-layout.ts). */
export { ensureConnectorOf };

/**
 * The charger's connector (registered on first sight) locked until the end of `trx`, so that one transaction
 * at a time starts on it (issue 15), with its EVSE's uid and location; one statement for a known connector.
 */
export async function lockConnectorOf(trx: Knex.Transaction, chargePointId: string, connectorNumber: number): Promise<{ connector: Connector; evse: { uid: string; locationId: string } | null }> {
  const found = await repo.lockConnectorWithEvse(trx, chargePointId, connectorNumber);
  if (found) return found;
  await ensureConnectorOf(trx, chargePointId, connectorNumber);
  return (await repo.lockConnectorWithEvse(trx, chargePointId, connectorNumber))!;
}

/** Throws NotFound unless charger `chargePointId` is registered (maintenance windows, diagnostics, ...). */
export async function assertChargerExists(db: Db, chargePointId: string): Promise<void> {
  if (!(await repo.findChargePoint(db, chargePointId))) throw new NotFound(`charger ${chargePointId} not found`);
}

/** The node holding the charger's WebSocket, or undefined when it is not connected anywhere. */
export async function findConnectedNode(db: Db, chargePointId: string): Promise<string | undefined> {
  const cp = await repo.findChargePoint(db, chargePointId);
  return (cp?.isConnected && cp.connectedNode) || undefined;
}

/** What one StatusNotification changed: its EVSE's status, and whether it was the connector's newest report. */

export class ChargerService {
  private readonly evseStatusHooks: EvseStatusHook[] = [];
  private readonly evseChangedHooks: EvseChangedHook[] = [];
  private readonly evseRemovedHooks: EvseRemovedHook[] = [];

  private readonly passwords: PasswordHasher;
  /** StatusNotifications of many chargers share one transaction (in arrival order). */
  readonly statusWriter: GroupCommitWriter<StatusItem, WrittenStatus>;
  /** BootNotifications of many chargers share one transaction (boot-writer.ts). */
  readonly bootWriter: GroupCommitWriter<BootItem, BootWritten | undefined>;
  private statusOverride?: EvseStatusOverride;
  private readonly eventHooks = new Map<string, ChargerEventHook[]>();

  constructor(private readonly o: ChargerServiceOptions) {
    this.passwords = o.passwords ?? scryptPasswords;
    this.statusWriter = createStatusWriter(o, {
      logger: o.logger,
      recomputeEvses: (trx, evseFks) => this.recomputeEvses(trx, evseFks),
      evseChanged: (trx, evseFk) => this.runEvseChangedHooks(trx, evseFk),
      evseStatusChanged: (trx, changes) => this.runEvseStatusHooks(trx, changes),
    });
    this.bootWriter = createBootWriter(o);
  }

  /** One override at most (maintenance windows, issue 9). */
  useEvseStatusOverride(override: EvseStatusOverride): void {
    this.statusOverride = override;
  }

  /** Hooks on recorded charger events of `type` (firmware campaigns, diagnostics requests: issue 9). */
  onEvent(type: string, hook: ChargerEventHook): void {
    this.eventHooks.set(type, [...(this.eventHooks.get(type) ?? []), hook]);
  }

  onEvseStatus(hook: EvseStatusHook): void {
    this.evseStatusHooks.push(hook);
  }

  onEvseChanged(hook: EvseChangedHook): void {
    this.evseChangedHooks.push(hook);
  }

  onEvseRemoved(hook: EvseRemovedHook): void {
    this.evseRemovedHooks.push(hook);
  }

  private async runEvseStatusHooks(trx: Knex.Transaction, changes: ReadonlyArray<EvseStatusChange | undefined>): Promise<void> {
    const changed = changes.filter((c): c is EvseStatusChange => c !== undefined);
    if (changed.length > 0) for (const hook of this.evseStatusHooks) await hook(trx, changed);
  }

  private async runEvseChangedHooks(trx: Knex.Transaction, evseFk: number): Promise<void> {
    for (const hook of this.evseChangedHooks) await hook(trx, evseFk);
  }

  /** What moving connectors between EVSEs needs (evse-layout.ts); the connector service uses them too. */
  readonly evseHooks: EvseLayoutHooks = {
    recompute: async (trx, evseFk) => void (await this.recomputeEvse(trx, evseFk)),
    changed: (trx, evseFk) => this.runEvseChangedHooks(trx, evseFk),
    removed: async (trx, evseFk) => {
      for (const hook of this.evseRemovedHooks) await hook(trx, evseFk);
    },
  };

  /** Registers a charger with a password (OCPP security profile 1/2) and optionally attaches it to an EVSE. */
  async register(input: { id: string; password: string; locationId?: string; evseUid?: string; status?: RegistrationStatus }): Promise<ChargePoint> {
    if (!CHARGER_ID.test(input.id)) throw new InvalidInput('id: must be 1-48 characters of letters, digits and ._:*@+-');
    if (input.password.length < 8 || input.password.length > 40) throw new InvalidInput('password: must be 8-40 characters (OCPP security profile 1)');
    if (input.evseUid && !input.locationId) throw new InvalidInput('evse: needs a location');
    const passwordHash = await this.passwords.hash(input.password);
    return this.o.db.transaction(async (trx) => {
      if (input.locationId) await getLocation(trx, input.locationId);
      await repo.insertChargePoint(trx, { id: input.id, passwordHash, registrationStatus: input.status ?? 'Accepted', locationId: input.locationId });
      if (input.evseUid) await placeChargerAt(trx, this.evseHooks, { chargePointId: input.id, locationId: input.locationId!, evseUid: input.evseUid });
      return repo.getChargePoint(trx, input.id);
    });
  }

  /**
   * Attaches a charger to a location: EVSE `evseUid` (created when new) is connector 1's, each other
   * connector gets its own EVSE there (OCPI 2.2.1 locations §8.3.2 NOTE; see evse-plan.ts).
   */
  async attach(chargePointId: string, locationId: string, evseUid: string): Promise<ChargePoint> {
    return this.o.db.transaction(async (trx) => {
      await repo.getChargePoint(trx, chargePointId);
      await getLocation(trx, locationId);
      await placeChargerAt(trx, this.evseHooks, { chargePointId, locationId, evseUid });
      return repo.getChargePoint(trx, chargePointId);
    });
  }

  async setPassword(chargePointId: string, password: string): Promise<void> {
    if (password.length < 8 || password.length > 40) throw new InvalidInput('password: must be 8-40 characters');
    await repo.updateChargePoint(this.o.db, chargePointId, { password_hash: await this.passwords.hash(password) });
  }

  /**
   * The answer to the charger's next BootNotification. Accepted only with a credential: a charger that
   * onboarded without a password is accepted through onboarding (POST /chargers/{id}/accept).
   */
  async setRegistrationStatus(chargePointId: string, status: RegistrationStatus): Promise<ChargePoint> {
    const cp = await repo.getChargePoint(this.o.db, chargePointId);
    if (status === 'Accepted' && !cp.hasPassword) throw new Conflict(`charger ${chargePointId} has no password: accept it with POST /api/v1/chargers/${chargePointId}/accept`);
    await repo.updateChargePoint(this.o.db, chargePointId, { registration_status: status });
    return repo.getChargePoint(this.o.db, chargePointId);
  }

  /** OCPP 1.6 §4.2 BootNotification: records the charger's identity data and answers its registration status. */
  async boot(chargePointId: string, p: BootNotificationRequest): Promise<BootNotificationResponse> {
    const now = this.o.clock.now();
    // Group commit (issue 8): many chargers' boots share one transaction, each answered after its commit.
    const written = await this.bootWriter.submit({ chargePointId, params: p, at: now });
    if (!written) throw new NotFound(`charger ${chargePointId} not found`);
    if (written.wasOffline) await this.backOnline(chargePointId, now);
    return { status: written.registrationStatus, currentTime: now.toISOString(), interval: written.interval };
  }

  /** OCPP 1.6 §4.6 Heartbeat: records it and returns the current time. */
  async heartbeat(chargePointId: string): Promise<{ at: Date; registrationStatus: RegistrationStatus }> {
    const now = this.o.clock.now();
    const seen = await repo.touchChargePoint(this.o.db, chargePointId, now, true);
    if (seen.wasOffline) await this.backOnline(chargePointId, now);
    return { at: now, registrationStatus: seen.registrationStatus };
  }

  /** Any message proves the charger is alive; returns its registration status for the caller's gate. */
  async markSeen(chargePointId: string): Promise<RegistrationStatus> {
    const now = this.o.clock.now();
    const seen = await repo.touchChargePoint(this.o.db, chargePointId, now, false);
    if (seen.wasOffline) await this.backOnline(chargePointId, now);
    return seen.registrationStatus;
  }

  /** A charger marked offline spoke again on its open socket: clear the OFFLINE fault and restore its EVSEs. */
  private async backOnline(chargePointId: string, now: Date): Promise<void> {
    const changes = await this.o.db.transaction(async (trx) => {
      await repo.clearFaults(trx, chargePointId, 0, 'OFFLINE', now);
      return this.refreshEvsesOf(trx, chargePointId);
    });
    this.emitEvseChanges(changes);
  }

  /**
   * OCPP 1.6 §4.9 StatusNotification: stores the report, registers an unknown connector, opens or
   * clears faults and recomputes the EVSE status. connectorId 0 is the charge point as a whole.
   */
  async reportStatus(chargePointId: string, reported: Omit<StatusReport, 'timestamp'> & { timestamp?: Date }): Promise<void> {
    const report: StatusReport = { ...reported, timestamp: reported.timestamp ?? this.o.clock.now() };
    // Group commit (issue 8): many chargers' reports share one transaction, each answered after its commit.
    const { change: changedEvse, isNewest } = await this.statusWriter.submit({ chargePointId, report });
    if (isNewest) this.o.events.emit('connector.status', { chargePointId, connectorId: report.connectorNumber, status: report.status, errorCode: report.errorCode, info: report.info ?? null, timestamp: report.timestamp });
    if (changedEvse) this.o.events.emit('evse.status', changedEvse);
  }

  /**
   * OCPP 2.0.1 E01: a TransactionEvent's chargingState refines the status of an occupied connector (Charging,
   * SuspendedEV, SuspendedEVSE); a connector Available, Faulted, Unavailable... keeps what its StatusNotification said.
   */
  async refineOccupiedStatus(chargePointId: string, r: { connectorNumber: number; status: string; timestamp: Date }): Promise<void> {
    const connector = await repo.findConnector(this.o.db, chargePointId, r.connectorNumber);
    if (!connector || !OCCUPIED_STATUSES.has(connector.ocppStatus) || connector.ocppStatus === r.status) return;
    await this.reportStatus(chargePointId, { connectorNumber: r.connectorNumber, status: r.status, errorCode: 'NoError', timestamp: r.timestamp });
  }

  /** Recomputes an EVSE's OCPI status from its connectors; returns the change, if any. */
  async recomputeEvse(trx: Knex.Transaction | Knex, evseFk: number): Promise<EvseStatusChange | undefined> {
    return (await this.recomputeEvses(trx, [evseFk])).get(evseFk);
  }

  /** recomputeEvse of many EVSEs with three statements; the changes by EVSE. */
  private recomputeEvses(trx: Knex.Transaction | Knex, evseFks: readonly number[]): Promise<Map<number, EvseStatusChange>> {
    return recomputeEvseStatuses(trx, evseFks, this.statusOverride);
  }

  /** Recomputes every EVSE of the charger and runs the status hooks; publish the result after the commit. */
  async refreshEvsesOf(trx: Knex.Transaction, chargePointId: string): Promise<EvseStatusChange[]> {
    return (await this.refreshEvsesOfChargers(trx, [chargePointId])).get(chargePointId) ?? [];
  }

  /** refreshEvsesOf of many chargers, their EVSEs recomputed together: the changes by charger (those without EVSEs absent). */
  async refreshEvsesOfChargers(trx: Knex.Transaction, chargePointIds: readonly string[]): Promise<Map<string, EvseStatusChange[]>> {
    const evsesOf = await listEvseFksOfChargePoints(trx, chargePointIds);
    const changes = await this.recomputeEvses(trx, [...evsesOf.values()].flat());
    await this.runEvseStatusHooks(trx, [...changes.values()]);
    return new Map([...evsesOf].map(([id, fks]) => [id, fks.flatMap((fk) => changes.get(fk) ?? [])]));
  }

  /** Emits `evse.status` for each change (after the transaction that made them committed). */
  emitEvseChanges(changes: ReadonlyArray<EvseStatusChange | undefined>): void {
    for (const change of changes) if (change) this.o.events.emit('evse.status', change);
  }

  async recordEvent(chargePointId: string, type: string, payload: unknown, fields: Record<string, unknown> = {}): Promise<void> {
    await this.o.db.transaction(async (trx) => {
      await repo.insertEvent(trx, chargePointId, type, payload, this.o.clock.now());
      if (Object.keys(fields).length) await repo.updateChargePoint(trx, chargePointId, fields);
      for (const hook of this.eventHooks.get(type) ?? []) await hook(trx, chargePointId, payload);
    });
  }

  /**
   * Marks chargers offline whose last message is older than `multiple` heartbeat intervals, opening an
   * OFFLINE fault and setting their EVSEs to UNKNOWN. Returns the ids marked.
   */
  async markOverdueOffline(multiple: number): Promise<string[]> {
    const now = this.o.clock.now();
    const ids = await repo.listOverdueOnline(this.o.db, now, multiple, this.o.heartbeatIntervalSec);
    for (const id of ids) {
      const changes = await this.o.db.transaction(async (trx) => {
        await repo.updateChargePoint(trx, id, { is_online: false });
        if (!(await repo.findOpenFault(trx, id, 0, 'OFFLINE', 'Offline'))) {
          await repo.insertFault(trx, { chargePointId: id, connectorNumber: 0, kind: 'OFFLINE', errorCode: 'Offline', info: null, vendorErrorCode: null, openedAt: now });
        }
        return this.refreshEvsesOf(trx, id);
      });
      this.o.logger.warn('charger offline: no message within heartbeat limit', { chargePointId: id });
      this.o.events.emit('charger.offline', { chargePointId: id });
      this.emitEvseChanges(changes);
    }
    return ids;
  }
}

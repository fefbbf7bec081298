import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import type { PhaseAmps } from './allocation.types.ts';
import { buildAllocationInput, measuredLoad, NO_LOAD, parseConnectorPhaseRotation, toCapacityNode, type InputSettings } from './allocation-input.ts';
import { nodeLimitAt } from './equal-share.ts';
import * as repo from './load-group.repo.ts';
import * as state from './load-state.repo.ts';
import type { LoadManager } from './load-manager.service.ts';
import { pricePointsOf, type PriceCurve } from './price-curve.ts';
import { priceCurveOf, type PriceCurveWire } from './price-curve-input.ts';
import type { ChargerMembership, LoadGroup, LoadGroupPatch, LoadGroupPeriod, LoadGroupView, NewLoadGroup, PhaseRotation } from './load.types.ts';

export interface LoadGroupServiceOptions {
  db: Knex;
  clock: Clock;
  manager: Pick<LoadManager, 'requestRun' | 'lastAllocation' | 'release'>;
  settings: InputSettings;
}

/**
 * The capacity tree and its chargers (issue 10): every change asks the load manager for a run, so that the
 * new limits reach the chargers within the debounce.
 */
export class LoadGroupService {
  constructor(private readonly o: LoadGroupServiceOptions) {}

  async create(g: NewLoadGroup): Promise<LoadGroup> {
    if (g.parentId !== null) await repo.getGroup(this.o.db, g.parentId).catch(notFoundAs(`parentId: load group ${g.parentId} does not exist`));
    const created = await repo.insertGroup(this.o.db, g);
    this.o.manager.requestRun(`load group ${created.id} created`);
    return created;
  }

  /** `parentId`: only the children of that group (null: the top-level groups); undefined: all. */
  list(page: { limit: number; offset: number; parentId?: number | null }): Promise<LoadGroup[]> {
    return repo.listGroups(this.o.db, page);
  }

  async update(id: number, patch: LoadGroupPatch): Promise<LoadGroup> {
    await repo.getGroup(this.o.db, id);
    if (patch.parentId !== undefined && patch.parentId !== null) await this.checkNoCycle(id, patch.parentId);
    const updated = await repo.updateGroup(this.o.db, id, patch);
    this.o.manager.requestRun(`load group ${id} changed`);
    return updated;
  }

  /** A node may not become its own ancestor. */
  private async checkNoCycle(id: number, parentId: number): Promise<void> {
    const all = new Map((await repo.listGroups(this.o.db)).map((g) => [g.id, g]));
    if (!all.has(parentId)) throw new InvalidInput(`parentId: load group ${parentId} does not exist`);
    for (let g = all.get(parentId); g; g = g.parentId === null ? undefined : all.get(g.parentId)) {
      if (g.id === id) throw new InvalidInput(`parentId: load group ${parentId} is below load group ${id} (a cycle)`);
    }
  }

  async delete(id: number): Promise<void> {
    await repo.getGroup(this.o.db, id);
    if ((await repo.countChildren(this.o.db, id)) > 0) throw new Conflict(`load group ${id} has child groups: delete or move them first`);
    const members = await repo.listMemberships(this.o.db, id);
    await repo.deleteGroup(this.o.db, id);
    for (const m of members) await this.o.manager.release(m.chargePointId);
    this.o.manager.requestRun(`load group ${id} deleted`);
  }

  async setSchedule(id: number, schedule: LoadGroupPeriod[]): Promise<LoadGroup> {
    return this.update(id, { schedule });
  }

  /** PUT /load-groups/{id}/price-curve: the curve of the group and of the groups below it without one. */
  async setPriceCurve(id: number, curve: PriceCurve): Promise<PriceCurveView> {
    await repo.updatePriceCurve(this.o.db, id, curve);
    this.o.manager.requestRun(`price curve of load group ${id}`);
    return this.priceCurve(id);
  }

  async clearPriceCurve(id: number): Promise<void> {
    await repo.updatePriceCurve(this.o.db, id, null);
    this.o.manager.requestRun(`price curve of load group ${id} removed`);
  }

  /** The curve in force for a group: its own, else its nearest ancestor's; with its prices over the horizon. */
  async priceCurve(id: number): Promise<PriceCurveView> {
    const all = new Map((await repo.listGroups(this.o.db)).map((g) => [g.id, g]));
    if (!all.has(id)) throw new NotFound(`load group ${id} not found`);
    const seen = new Set<number>();
    let g = all.get(id);
    while (g && !g.priceCurve && g.parentId !== null && !seen.has(g.id)) {
      seen.add(g.id);
      g = all.get(g.parentId);
    }
    if (!g?.priceCurve) throw new NotFound(`load group ${id} has no price curve, nor has any group above it`);
    const now = this.o.clock.now().getTime();
    const to = now + Math.max(this.o.settings.stepSec, this.o.settings.horizonSec) * 1000;
    const prices = pricePointsOf(priceCurveOf({ ...g.priceCurve }), now, to).map((p) => ({ startsAt: new Date(p.startsAt).toISOString(), pricePerKwh: p.pricePerKWh }));
    return { groupId: g.id, isInherited: g.id !== id, ...g.priceCurve, prices };
  }

  async setUnmanaged(id: number, amps: PhaseAmps | null, source: 'fixed' | 'measured'): Promise<LoadGroup> {
    const updated = await repo.updateUnmanaged(this.o.db, id, { amps, source: amps === null ? null : source });
    this.o.manager.requestRun(`unmanaged load of load group ${id}`);
    return updated;
  }

  /** PUT /load-groups/{id}/chargers/{chargePointId}: attaches (or moves) a charger. */
  async attach(id: number, chargePointId: string, o: { phaseRotation?: PhaseRotation; maxCurrentA?: number | null }): Promise<ChargerMembership> {
    await repo.getGroup(this.o.db, id);
    if (!(await repo.chargePointExists(this.o.db, chargePointId))) throw new NotFound(`charger ${chargePointId} not found`);
    const membership = await repo.upsertMembership(this.o.db, { chargePointId, groupId: id, ...o });
    // Its sessions get their limits (again) at the next run.
    await state.deleteAppliedOfCharger(this.o.db, chargePointId);
    this.o.manager.requestRun(`charger ${chargePointId} attached to load group ${id}`);
    return membership;
  }

  async detach(id: number, chargePointId: string): Promise<void> {
    if ((await repo.deleteMembership(this.o.db, id, chargePointId)) === 0) throw new NotFound(`charger ${chargePointId} is not in load group ${id}`);
    await this.o.manager.release(chargePointId);
    this.o.manager.requestRun(`charger ${chargePointId} detached from load group ${id}`);
  }

  /** OCPP 1.6 §9.1 ConnectorPhaseRotation as the charger confirmed it (GetConfiguration): kept unless the operator set one. */
  async recordConfiguration(chargePointId: string, keys: Array<{ key: string; value: string | null }>): Promise<void> {
    const value = keys.find((k) => k.key === 'ConnectorPhaseRotation')?.value;
    const rotation = value ? parseConnectorPhaseRotation(value, 1) : undefined;
    if (rotation && (await repo.updateRotationFromCharger(this.o.db, chargePointId, rotation)) > 0) this.o.manager.requestRun(`phase rotation of ${chargePointId}`);
  }

  /** The group with its chargers, the allocation per session and the measured draw per grid phase. */
  async view(id: number): Promise<LoadGroupView> {
    const group = await repo.getGroup(this.o.db, id);
    const [chargers, tree, sessions, applied] = await Promise.all([repo.listMemberships(this.o.db, id), repo.listGroups(this.o.db), state.listLoadSessions(this.o.db), state.listApplied(this.o.db)]);
    const now = this.o.clock.now().getTime();
    const input = buildAllocationInput({ now, groups: tree, sessions, applied, offline: new Set(), settings: this.o.settings });
    const lastRun = this.o.manager.lastAllocation();
    const last = lastRun?.result.nodes.find((n) => n.nodeId === String(id));
    const wasUncontrolled = new Map(lastRun?.input.sessions.map((s) => [s.sessionId, s.uncontrolled]) ?? []);
    const appliedBy = new Map(applied.map((a) => [a.sessionId, a]));
    const own = sessions.filter((s) => s.groupId === id);
    return {
      ...group,
      chargers,
      limitA: nodeLimitAt(toCapacityNode(group, { voltage: this.o.settings.voltage }), now),
      plannedA: last?.plannedA ?? null,
      measuredA: measuredLoad(input).get(String(id)) ?? { ...NO_LOAD },
      sessions: own.map((s) => {
        const a = appliedBy.get(s.sessionId);
        return { sessionId: s.sessionId, chargePointId: s.chargePointId, connectorNumber: s.connectorNumber, limitA: a?.limitA ?? null, phases: a?.phases ?? null, status: a?.status ?? null, uncontrolled: !s.isConnected || (a?.uncontrolled ?? wasUncontrolled.get(String(s.sessionId)) ?? false), measuredA: s.measured?.currentsA ?? null, sentAt: a?.sentAt ?? null };
      }),
    };
  }
}

/** GET /load-groups/{id}/price-curve: the curve in force, whose it is, and its prices from now over the horizon. */
export interface PriceCurveView extends PriceCurveWire {
  groupId: number;
  isInherited: boolean;
  prices: Array<{ startsAt: string; pricePerKwh: number }>;
}

function notFoundAs(message: string) {
  return (err: unknown): never => {
    throw err instanceof NotFound ? new InvalidInput(message) : err;
  };
}

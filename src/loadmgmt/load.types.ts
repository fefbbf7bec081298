// Load management (issue 10): the capacity tree as stored and served, chargers' membership, and what the
// load manager reads and writes per session. The allocator's own types are in allocation.types.ts.
import type { PhaseAmps, SchedulePeriod } from './allocation.types.ts';
import type { OcpiChargingProfile } from '../chargingprofiles/chargingprofile.types.ts';
import type { PriceCurveWire } from './price-curve-input.ts';

/** A period of a node's time-varying limit (a grid operator's peak hours, a pushed solar forecast): in A, in kW or
 * both (at least one; the tighter holds). */
export interface LoadGroupPeriod {
  startsAt: Date;
  maxCurrentA?: number;
  maxPowerKw?: number;
}

/** A node of the capacity tree: a site's grid connection (no parent), a panel or a circuit. */
export interface LoadGroup {
  id: number;
  name: string;
  parentId: number | null;
  /** limit per phase, in A */
  maxCurrentA: number;
  phases: 1 | 3;
  marginA: number;
  /** limit in kW over all its phases, besides maxCurrentA (the tighter holds); null: none */
  maxPowerKw: number | null;
  /** phase-to-neutral voltage converting kW into A; null: loadManagement.voltage */
  voltage: number | null;
  schedule: LoadGroupPeriod[];
  /** load cpms does not control (a building), per grid phase; null: none */
  unmanagedA: PhaseAmps | null;
  unmanagedSource: 'fixed' | 'measured' | null;
  unmanagedAt: Date | null;
  /** the group's own energy price curve as set and served (inherited by the groups below it); null: none */
  priceCurve: PriceCurveWire | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewLoadGroup = Pick<LoadGroup, 'name' | 'parentId' | 'maxCurrentA' | 'phases' | 'marginA' | 'schedule' | 'maxPowerKw' | 'voltage'>;
export type LoadGroupPatch = Partial<NewLoadGroup>;

/** OCPP 1.6 ConnectorPhaseRotation values (R = L1, S = L2, T = L3). */
export const PHASE_ROTATIONS = ['RST', 'RTS', 'SRT', 'STR', 'TRS', 'TSR'] as const;
export type PhaseRotation = (typeof PHASE_ROTATIONS)[number];

/** A charger attached to a load group (a charger is in one group at most). */
export interface ChargerMembership {
  chargePointId: string;
  groupId: number;
  /** null: unknown (RST assumed) */
  phaseRotation: PhaseRotation | null;
  phaseRotationSource: 'operator' | 'charger' | null;
  /** the operator's upper bound per phase; null: the connector's rating */
  maxCurrentA: number | null;
  createdAt: Date;
}

/** An active session at a charger of a load group, with what the allocation needs to know of it. */
export interface LoadSession {
  sessionId: number;
  chargePointId: string;
  connectorNumber: number;
  groupId: number;
  startedAt: Date;
  energyWh: number;
  /** the connector's rating per phase, and its power type (AC_1_PHASE, AC_3_PHASE, DC); null: unknown */
  connectorMaxA: number | null;
  powerType: string | null;
  membershipMaxA: number | null;
  phaseRotation: PhaseRotation | null;
  /** the highest priority of the driver's groups (0 without a group) */
  priority: number;
  /** OCPI sessions §9.2.1.2 charging preferences the eMSP set, as received */
  preferences: { departure_time?: string; energy_need?: number } | null;
  /** the eMSP's charging profile of the session (OCPI chargingprofiles), an upper bound */
  emspProfile: OcpiChargingProfile | null;
  /** the latest per-phase Current.Import of the session's connector (outlet phases 1..3), when any */
  measured: { at: Date; currentsA: [number, number, number] } | null;
}

/** The allocation last sent to a session's charger, and its answer. */
export interface AppliedAllocation {
  sessionId: number;
  chargePointId: string;
  connectorNumber: number;
  limitA: number;
  periods: SchedulePeriod[];
  phases: number;
  /** Accepted | Rejected | NotSupported (the charger's answer) | Failed (timeout, CALLERROR) | Offline */
  status: string;
  /** the charger did not take the limit, or went offline: counted at its maximum */
  uncontrolled: boolean;
  sentAt: Date;
}

/** GET /load-groups/{id}: the group, its chargers, the allocation per session and the measured draw. */
export interface LoadGroupView extends LoadGroup {
  chargers: ChargerMembership[];
  /** the effective limit now (schedule applied, margin deducted) and the planned load per grid phase */
  limitA: number | null;
  plannedA: PhaseAmps | null;
  /** the latest measured draw per grid phase of the group's sessions (and below), plus its unmanaged load */
  measuredA: PhaseAmps;
  sessions: Array<{ sessionId: number; chargePointId: string; connectorNumber: number; limitA: number | null; phases: number | null; status: string | null; uncontrolled: boolean; measuredA: [number, number, number] | null; sentAt: Date | null }>;
}

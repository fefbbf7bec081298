// Types of the load allocator (issue 10): the input and output of `allocate` (src/loadmgmt/allocator.ts), a pure
// function. Times are epoch milliseconds; currents are amperes per phase (RMS), powers W, energies Wh.

/** A phase of the site's grid connection. */
export type GridPhase = 'L1' | 'L2' | 'L3';
export type PhaseAmps = Record<GridPhase, number>;

/** From `startsAt` until the next period, a node's limit is min(maxCurrentA of the node, this maxCurrentA). */
export interface LimitPeriod {
  startsAt: number;
  maxCurrentA: number;
}

/** A node of a site's capacity tree: the grid connection, a panel, a circuit (any depth). */
export interface CapacityNode {
  id: string;
  /** null for a root (a site's grid connection) */
  parentId: string | null;
  /** limit per phase, in A */
  maxCurrentA: number;
  /** 1: the node carries L1 only; 3: L1, L2 and L3 */
  phases: 1 | 3;
  /** kept free below the limit on every phase */
  marginA: number;
  /** time-varying limit (a grid operator's peak hours, a solar forecast), sorted by startsAt; empty: constant */
  schedule: LimitPeriod[];
  /** load on this node that cpms does not control (a building), fixed or measured, per grid phase */
  unmanagedA: PhaseAmps;
  /** this node's energy price curve (a site's tariff), for the sessions below it down to a node with its own;
   * absent: the nearest ancestor's, else the input's `prices` */
  prices?: PricePoint[];
}

/** A charging session as the allocator sees it. */
export interface SessionDemand {
  sessionId: string;
  chargePointId: string;
  /** the capacity node the charger is attached to */
  nodeId: string;
  /** the grid phase each of the charger's phases 1, 2, 3 is wired to (OCPP ConnectorPhaseRotation: RST →
   * ['L1','L2','L3'], STR → ['L2','L3','L1'], TRS → ['L3','L1','L2'] …); a single-phase charger uses index 0 only */
  phaseRotation: [GridPhase, GridPhase, GridPhase];
  /** phases the charger supplies (1 or 3) */
  chargerPhases: 1 | 3;
  /** phases the vehicle really draws on (from per-phase Current.Import; chargerPhases when unknown) */
  vehiclePhases: 1 | 2 | 3;
  /** the highest limit per phase this session can use: the smallest of the charger's, the connector's, the EV's,
   * and the eMSP's and the operator's charging profiles (upper bounds inside the allocation) */
  maxCurrentA: number;
  /** the lowest non-zero limit the charger honours (IEC 61851-1: 6 A); below it the session is paused (0) */
  minCurrentA: number;
  /** the latest measured draw on the charger's phases 1..3, when known */
  measuredA?: [number, number, number];
  /** the limit per phase currently applied to the charger (the last allocation it accepted), when any */
  appliedA?: number;
  /** the charger rejected the last profile, does not answer, or is offline: it is not scheduled and is counted
   * at maxCurrentA on its phases, the others being reduced to make room */
  uncontrolled: boolean;
  /** higher is served first when capacity is short (from the driver's group; 0 by default) */
  priority: number;
  /** energy still needed (OCPI charging_preferences energy_need minus delivered), when known */
  energyNeededWh?: number;
  /** when the driver leaves (OCPI charging_preferences departure_time, the driver app, or a default) */
  departureAt?: number;
  /** phase-to-neutral voltage, e.g. 230 */
  voltage: number;
  startedAt: number;
}

/** From `startsAt` until the next point, energy costs `pricePerKWh` (any currency: only the order matters). */
export interface PricePoint {
  startsAt: number;
  pricePerKWh: number;
}

export interface AllocationInput {
  now: number;
  /** how far ahead to plan, in seconds (e.g. 24 h), in steps of `stepSec` (e.g. 900) */
  horizonSec: number;
  stepSec: number;
  nodes: CapacityNode[];
  sessions: SessionDemand[];
  /** the energy price curve (time-of-use); empty: a flat price */
  prices: PricePoint[];
}

/** From `startsAt` until the next period the charger may draw `limitA` per phase: 0 (paused) or ≥ minCurrentA. */
export interface SchedulePeriod {
  startsAt: number;
  limitA: number;
}

export interface SessionSchedule {
  sessionId: string;
  /** the limit now (periods[0].limitA) */
  limitA: number;
  /** starts at `now`, one period per change, covering the horizon */
  periods: SchedulePeriod[];
  /** phases the limit is counted on (vehiclePhases, or chargerPhases for an uncontrolled session) */
  phases: 1 | 2 | 3;
  /** the departure time cannot be met with the capacity available */
  deadlineMissed: boolean;
}

export interface NodeLoad {
  nodeId: string;
  /** the node's effective limit now per phase (limit − margin, schedule applied) */
  limitA: number;
  /** planned load now per grid phase: unmanaged + uncontrolled + allocated */
  plannedA: PhaseAmps;
}

export interface AllocationResult {
  schedules: SessionSchedule[];
  nodes: NodeLoad[];
}

// Pure: how the dashboard's load-groups page reads GET /load-groups/{id} (README "Load management"); no DOM,
// unit-tested in test/unit/web.

export type GridPhase = 'L1' | 'L2' | 'L3';
export type PhaseAmps = Record<GridPhase, number>;

/** A session of a group as GET /load-groups/{id} gives it. */
export interface LoadSessionView {
  sessionId: number;
  chargePointId: string;
  connectorNumber: number;
  limitA: number | null;
  phases: number | null;
  status: string | null;
  uncontrolled: boolean;
  measuredA: [number, number, number] | null;
}

/** The part of GET /load-groups/{id} the page shows. */
export interface LoadGroupView {
  id: number;
  name: string;
  parentId: number | null;
  maxCurrentA: number;
  phases: 1 | 3;
  marginA: number;
  limitA: number | null;
  plannedA: PhaseAmps | null;
  measuredA: PhaseAmps;
  chargers: Array<{ chargePointId: string; phaseRotation: string | null; maxCurrentA: number | null }>;
  sessions: LoadSessionView[];
}

/** One grid phase of a group: its limit, the planned and the measured load, and how full it is. */
export interface PhaseRow {
  phase: GridPhase;
  limitA: number | null;
  plannedA: number | null;
  measuredA: number;
  /** measured / limit, 0..1 (capped), null without a limit */
  usage: number | null;
  /** the measured load is above the limit */
  isOver: boolean;
}

/** The rows of the phase table: L1 only for a single-phase group (README "Load management": phases 1 = L1). */
export function phaseRows(g: Pick<LoadGroupView, 'phases' | 'limitA' | 'plannedA' | 'measuredA'>): PhaseRow[] {
  const phases: GridPhase[] = g.phases === 1 ? ['L1'] : ['L1', 'L2', 'L3'];
  return phases.map((phase) => {
    const measuredA = g.measuredA[phase] ?? 0;
    const usage = g.limitA === null ? null : g.limitA <= 0 ? (measuredA > 0 ? 1 : 0) : Math.min(1, measuredA / g.limitA);
    return { phase, limitA: g.limitA, plannedA: g.plannedA?.[phase] ?? null, measuredA, usage, isOver: g.limitA !== null && measuredA > g.limitA };
  });
}

/** "16 A", "6.5 A"; "—" for none. */
export function formatAmps(a: number | null | undefined): string {
  if (a === null || a === undefined) return '—';
  return `${Number.isInteger(a) ? a : a.toFixed(1)} A`;
}

/** What the allocation did to a session, in words: "16 A × 3 (Accepted)", "not sent yet", "uncontrolled (Offline)". */
export function allocationText(s: Pick<LoadSessionView, 'limitA' | 'phases' | 'status' | 'uncontrolled'>): string {
  if (s.uncontrolled) return `uncontrolled${s.status ? ` (${s.status})` : ''}: counted at its maximum`;
  if (s.limitA === null) return 'not sent yet';
  const amps = s.limitA === 0 ? 'paused (0 A)' : `${formatAmps(s.limitA)}${s.phases && s.phases > 1 ? ` × ${s.phases}` : ''}`;
  return s.status ? `${amps} (${s.status})` : amps;
}

/** The session's measured currents per charger phase: "15.8 / 15.9 / 16 A", "—" without a reading. */
export function measuredText(currents: [number, number, number] | null): string {
  if (!currents) return '—';
  const used = currents[1] === 0 && currents[2] === 0 ? [currents[0]] : currents;
  return `${used.map((a) => (Number.isInteger(a) ? a : a.toFixed(1))).join(' / ')} A`;
}

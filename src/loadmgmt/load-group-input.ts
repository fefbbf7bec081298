// Reading load management's input (admin API bodies, CLI options) into its domain types: a bad value is
// InvalidInput naming the field.
import { InvalidInput } from '../shared/errors.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import type { PhaseAmps } from './allocation.types.ts';
import { PHASE_ROTATIONS, type LoadGroupPatch, type LoadGroupPeriod, type NewLoadGroup, type PhaseRotation } from './load.types.ts';

export type Body = Record<string, unknown>;

/** A load group's id (a serial), from a path, a body or an option. */
export function groupIdOf(raw: unknown, field = 'id'): number {
  const s = String(raw);
  if (!/^\d{1,10}$/.test(s) || Number(s) < 1 || Number(s) > 2_147_483_647) throw new InvalidInput(`${field}: must be an integer from 1 to 2147483647`);
  return Number(s);
}

function nameOf(b: Body): string {
  if (typeof b.name !== 'string' || b.name.length === 0 || b.name.length > 100) throw new InvalidInput('name: required string of 1-100 characters');
  return b.name;
}

const MAX_A = 100_000;
const MAX_PERIODS = 1000;

/** A current in A from `b[key]`, named `field` in the error (default: the key). */
export function amps(b: Body, key: string, o: { min?: number; field?: string } = {}): number {
  const v = b[key];
  const field = o.field ?? key;
  const min = o.min ?? 0;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > MAX_A) throw new InvalidInput(`${field}: a number of amperes from ${min} to ${MAX_A}`);
  return Math.round(v * 10) / 10;
}

export function phasesOf(b: Body): 1 | 3 {
  if (b.phases !== 1 && b.phases !== 3) throw new InvalidInput('phases: 1 or 3');
  return b.phases;
}

/** The `parentId` filter of a list: a group's id (its children), `none` (the top-level groups) or absent (all). */
export function parentFilterOf(raw: unknown): number | null | undefined {
  if (raw === undefined) return undefined;
  return raw === 'none' ? null : groupIdOf(raw, 'parentId');
}

export function parentOf(b: Body): number | null {
  if (b.parentId === undefined || b.parentId === null) return null;
  if (!Number.isInteger(b.parentId)) throw new InvalidInput('parentId: the id of a load group, or null for a root');
  return groupIdOf(b.parentId, 'parentId');
}

const MAX_KW = 1_000_000;

/** A power in kW from `b[key]` (> 0), named `field` in the error; rounded to 10 W. */
export function kilowatts(b: Body, key: string, field = key): number {
  const v = b[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > MAX_KW) throw new InvalidInput(`${field}: a number of kW above 0 and up to ${MAX_KW}`);
  return Math.round(v * 100) / 100;
}

/** A phase-to-neutral voltage (V). */
function voltsOf(b: Body): number {
  const v = b.voltage;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 50 || v > 1000) throw new InvalidInput('voltage: the phase-to-neutral voltage in V, from 50 to 1000 (e.g. 230)');
  return Math.round(v * 10) / 10;
}

/** [{ startsAt, maxCurrentA?, maxPowerKw? }] (at least one limit each): sorted by startsAt, no two at the same time. */
export function scheduleOf(v: unknown, field: string): LoadGroupPeriod[] {
  if (!Array.isArray(v) || v.length > MAX_PERIODS) throw new InvalidInput(`${field}: an array of at most ${MAX_PERIODS} periods { startsAt, maxCurrentA?, maxPowerKw? }`);
  const periods = v.map((p, i) => {
    if (typeof p !== 'object' || p === null || typeof (p as Body).startsAt !== 'string') throw new InvalidInput(`${field}[${i}].startsAt: required date-time`);
    const b = p as Body;
    if (b.maxCurrentA === undefined && b.maxPowerKw === undefined) throw new InvalidInput(`${field}[${i}]: maxCurrentA or maxPowerKw (or both) required`);
    return {
      startsAt: parseTimestamp(b.startsAt as string, `${field}[${i}].startsAt`),
      ...(b.maxCurrentA === undefined ? {} : { maxCurrentA: amps(b, 'maxCurrentA', { field: `${field}[${i}].maxCurrentA` }) }),
      ...(b.maxPowerKw === undefined ? {} : { maxPowerKw: kilowatts(b, 'maxPowerKw', `${field}[${i}].maxPowerKw`) }),
    };
  });
  periods.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  if (periods.some((p, i) => i > 0 && p.startsAt.getTime() === periods[i - 1].startsAt.getTime())) throw new InvalidInput(`${field}: two periods start at the same time`);
  return periods;
}

export function patchOf(b: Body): LoadGroupPatch {
  const patch: LoadGroupPatch = {};
  if (b.name !== undefined) patch.name = nameOf(b);
  if (b.parentId !== undefined) patch.parentId = parentOf(b);
  if (b.maxCurrentA !== undefined) patch.maxCurrentA = amps(b, 'maxCurrentA', { min: 0 });
  if (b.phases !== undefined) patch.phases = phasesOf(b);
  if (b.marginA !== undefined) patch.marginA = amps(b, 'marginA');
  if (b.schedule !== undefined) patch.schedule = scheduleOf(b.schedule, 'schedule');
  if (b.maxPowerKw !== undefined) patch.maxPowerKw = b.maxPowerKw === null ? null : kilowatts(b, 'maxPowerKw');
  if (b.voltage !== undefined) patch.voltage = b.voltage === null ? null : voltsOf(b);
  return patch;
}

export function membershipOf(b: Body): { phaseRotation?: PhaseRotation; maxCurrentA?: number | null } {
  const o: { phaseRotation?: PhaseRotation; maxCurrentA?: number | null } = {};
  if (b.phaseRotation !== undefined) {
    if (!(PHASE_ROTATIONS as readonly unknown[]).includes(b.phaseRotation)) throw new InvalidInput(`phaseRotation: one of ${PHASE_ROTATIONS.join(', ')} (OCPP 1.6 ConnectorPhaseRotation)`);
    o.phaseRotation = b.phaseRotation as PhaseRotation;
  }
  if (b.maxCurrentA !== undefined) o.maxCurrentA = b.maxCurrentA === null ? null : amps(b, 'maxCurrentA');
  return o;
}

export function unmanagedOf(b: Body): { amps: PhaseAmps | null; source: 'fixed' | 'measured' } {
  const source = b.source ?? 'measured';
  if (source !== 'fixed' && source !== 'measured') throw new InvalidInput('source: fixed or measured');
  if (b.L1 === undefined && b.L2 === undefined && b.L3 === undefined) throw new InvalidInput('L1, L2, L3: the unmanaged load per phase in A (0 for none)');
  const phase = (p: 'L1' | 'L2' | 'L3') => (b[p] === undefined ? 0 : amps(b, p));
  const a = { L1: phase('L1'), L2: phase('L2'), L3: phase('L3') };
  return { amps: a.L1 === 0 && a.L2 === 0 && a.L3 === 0 ? null : a, source };
}

export const chargePointIdOf = (raw: string): string => {
  if (raw.length === 0 || raw.length > 48) throw new InvalidInput('chargePointId: 1 to 48 characters');
  return raw;
};

/** A new group from a POST body. */
export function newGroupOf(b: Body): NewLoadGroup {
  return {
    name: nameOf(b), parentId: parentOf(b), maxCurrentA: amps(b, 'maxCurrentA'), phases: phasesOf(b), marginA: b.marginA === undefined ? 0 : amps(b, 'marginA'),
    schedule: b.schedule === undefined ? [] : scheduleOf(b.schedule, 'schedule'),
    maxPowerKw: b.maxPowerKw === undefined || b.maxPowerKw === null ? null : kilowatts(b, 'maxPowerKw'),
    voltage: b.voltage === undefined || b.voltage === null ? null : voltsOf(b),
  };
}

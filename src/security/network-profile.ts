// Pure: OCPP 2.0.1 A05 "Upgrade Charging Station Security Profile": the SetNetworkProfile connectionData that
// points a station at cpms with a higher profile, and the NetworkConfigurationPriority that tries it first.
import type { NetworkConnectionProfileType } from '../ocpp/v201/types.ts';
import { InvalidInput } from '../shared/errors.ts';

/** OCPP 2.0.1 B09/A05: the Device Model variable listing the configuration slots in the order they are tried. */
export const NETWORK_CONFIGURATION_PRIORITY = { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NetworkConfigurationPriority' } };

// NetworkConnectionProfileType.messageTimeout: the spec's suggested starting point (seconds).
const MESSAGE_TIMEOUT_SEC = 30;

/**
 * The CSMS URL a station connects to, without its identity (2.0.1 appends SecurityCtrlr.Identity): cpms's
 * base URL (http(s) → ws(s)) with the OCPP path; profiles 2 and 3 are TLS, so always wss there.
 */
export function csmsUrlFor(baseUrl: string, ocppPath: string, profile: number): string {
  const url = new URL(ocppPath.replace(/\/*$/, '/'), baseUrl);
  url.protocol = profile >= 2 || url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
  return url.toString();
}

export function connectionDataFor(csmsUrl: string, profile: number): NetworkConnectionProfileType {
  return { ocppVersion: 'OCPP20', ocppTransport: 'JSON', ocppCsmsUrl: csmsUrl, messageTimeout: MESSAGE_TIMEOUT_SEC, securityProfile: profile, ocppInterface: 'Wired0' };
}

/** The slots of a NetworkConfigurationPriority value ("1,0"); an empty or unreadable value is no slots. */
export function parsePriority(value: string | undefined): number[] {
  if (!value) return [];
  const slots = value.split(',').map((s) => s.trim());
  return slots.every((s) => /^\d+$/.test(s)) ? slots.map(Number) : [];
}

/**
 * The slot to write: the operator's, else the lowest one the station does not try yet (its current ones stay).
 * An unreadable priority list still leaves slot 0 alone: it is most likely the one the station is using.
 */
export function chooseSlot(current: number[], requested: unknown): number {
  if (requested === undefined) {
    let slot = current.length ? 0 : 1;
    while (current.includes(slot)) slot++;
    return slot;
  }
  if (!Number.isInteger(requested) || (requested as number) < 0) throw new InvalidInput('configurationSlot: must be an integer >= 0');
  return requested as number;
}

/** The new slot first, then the others in their order (the station falls back to them; cpms refuses a lower profile). */
export function priorityWithFirst(current: number[], slot: number): string {
  return [slot, ...current.filter((s) => s !== slot)].join(',');
}

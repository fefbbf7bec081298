// Pure: plans the OCPP 1.6 SendLocalList that brings a charger's local authorization list (§3.5) from what
// it holds to what the access rules want. No I/O.
import type { SendLocalListRequest } from '../ocpp/v16/types.ts';

export type LocalListEntry = { idTag: string; idTagInfo: { status: 'Accepted'; expiryDate?: string; parentIdTag?: string } };

/** What cpms last had accepted by the charger: the list version and its entries. */
export interface SentLocalList {
  version: number;
  entries: LocalListEntry[];
}

const sameInfo = (a: LocalListEntry, b: LocalListEntry): boolean => JSON.stringify(a.idTagInfo) === JSON.stringify(b.idTagInfo);

/**
 * The update to send, or undefined when the charger already holds `desired`. A Differential update when
 * the charger reports the version cpms last had accepted (only the changes; OCPP 1.6 §6.43: an entry without
 * idTagInfo is deleted); otherwise a Full one (first time, or the charger lost or changed its list). The new
 * version is above both cpms's and the charger's (§3.5.4: versions only grow).
 */
export function planLocalListUpdate(sent: SentLocalList | undefined, chargerVersion: number, desired: readonly LocalListEntry[]): SendLocalListRequest | undefined {
  const listVersion = Math.max(sent?.version ?? 0, chargerVersion) + 1;
  const isInSync = sent !== undefined && sent.version === chargerVersion;
  if (!isInSync) {
    // A charger with no list (version 0) and nothing to hold needs no update.
    if (chargerVersion === 0 && desired.length === 0) return undefined;
    return { listVersion, updateType: 'Full', localAuthorizationList: [...desired] };
  }
  const before = new Map(sent.entries.map((e) => [e.idTag, e]));
  const wanted = new Set(desired.map((e) => e.idTag));
  const changed = desired.filter((e) => !before.has(e.idTag) || !sameInfo(before.get(e.idTag)!, e));
  const removed = sent.entries.filter((e) => !wanted.has(e.idTag)).map((e) => ({ idTag: e.idTag }));
  if (changed.length === 0 && removed.length === 0) return undefined;
  return { listVersion, updateType: 'Differential', localAuthorizationList: [...changed, ...removed] };
}

/** The entries a charger holds after `update` was accepted on top of `sent`. */
export function applyLocalListUpdate(sent: SentLocalList | undefined, update: SendLocalListRequest): SentLocalList {
  const entries = new Map(update.updateType === 'Full' ? [] : (sent?.entries ?? []).map((e) => [e.idTag, e]));
  for (const e of update.localAuthorizationList ?? []) {
    if (e.idTagInfo) entries.set(e.idTag, e as LocalListEntry);
    else entries.delete(e.idTag);
  }
  return { version: update.listVersion, entries: [...entries.values()].sort((a, b) => a.idTag.localeCompare(b.idTag)) };
}

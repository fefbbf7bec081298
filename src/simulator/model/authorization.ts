// Pure: what a charger knows about id tags without asking the server: the Local Authorization List the
// server sends (OCPP 1.6 §3.5.2, SendLocalList §5.15) and the Authorization Cache of answers it got
// (§3.5.1, emptied by ClearCache §5.4). Used when offline (LocalAuthorizeOffline, §9.1).

export type AuthStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';

export interface IdTagInfo {
  status: AuthStatus;
  parentIdTag?: string;
  expiryDate?: number;
}

export interface LocalListEntry {
  idTag: string;
  /** absent in a Differential update: remove the entry */
  info?: IdTagInfo;
}

export type LocalListResult = 'Accepted' | 'Failed' | 'VersionMismatch';

export class LocalAuthorization {
  listVersion = 0;
  private list = new Map<string, IdTagInfo>();
  private readonly cache = new Map<string, IdTagInfo>();

  constructor(private readonly maxListLength: number) {}

  /** OCPP 1.6 §5.15: Full replaces the list; Differential applies entries and must raise the version. */
  update(version: number, kind: 'Full' | 'Differential', entries: LocalListEntry[]): LocalListResult {
    if (kind === 'Differential' && version <= this.listVersion) return 'VersionMismatch';
    const next = kind === 'Full' ? new Map<string, IdTagInfo>() : new Map(this.list);
    for (const e of entries) {
      if (e.info) next.set(e.idTag, e.info);
      else next.delete(e.idTag);
    }
    if (next.size > this.maxListLength) return 'Failed'; // nothing changed
    this.list = next;
    this.listVersion = version;
    return 'Accepted';
  }

  /** Remembers the server's answer for an id tag (the Authorization Cache). */
  remember(idTag: string, info: IdTagInfo): void {
    this.cache.set(idTag, info);
  }

  /** What the charger holds about one id tag: its local list and cache entries (OCPP 2.0.1 N09). */
  heldAbout(idTag: string): { list?: IdTagInfo; cache?: IdTagInfo } {
    return { list: this.list.get(idTag), cache: this.cache.get(idTag) };
  }

  /** Forgets the id tag's cache entry (OCPP 2.0.1 N10); the local list is the server's to change. */
  forget(idTag: string): void {
    this.cache.delete(idTag);
  }

  clearCache(): void {
    this.cache.clear();
  }

  /** The local list's entry first (it overrules the cache, §3.5.3), then the cache; expired entries count as Expired. */
  lookup(idTag: string, now: number): IdTagInfo | undefined {
    const info = this.list.get(idTag) ?? this.cache.get(idTag);
    if (info?.expiryDate !== undefined && info.expiryDate <= now) return { ...info, status: 'Expired' };
    return info;
  }
}

// The OCPI locations list as a party sees it, rendered once and kept while the database's change stamp of the
// scope (db/change-stamps.ts) is the one it was rendered under: any committed change a page could show (on any
// node, or from the CLI) moves the stamp, and nothing built before it is served again. The count of a query is
// kept the same way, so that another page of the same list is read without counting every location again.
import type { Knex } from 'knex';
import { readChangeStamp } from '../db/change-stamps.ts';
import type { PartyRef } from '../partners/partner.types.ts';
import { ByteLru } from '../shared/byte-lru.ts';
import type { TariffService } from '../tariffs/tariff.service.ts';
import { connectorSitesOf, toOcpiLocation, withTariffView } from './ocpi.mapper.ts';
import { listLocationTreesFor, type LocationCounts, type LocationPageQuery } from './ocpi.repo.ts';
import type { LocationTree } from './ocpi.types.ts';

/** A page asked for: the repository's query without the counts, which this service keeps itself. */
export type LocationPageRequest = Omit<LocationPageQuery, 'known'>;

/** A page of OCPI Locations serialized as a JSON array, with what its pagination headers need. */
export interface RenderedLocationPage {
  data: Buffer;
  count: number;
  total: number;
  lastKey?: string;
}

interface Kept {
  stamp: bigint;
  page?: RenderedLocationPage;
  counts?: LocationCounts;
}

// What an entry costs besides its body (key, object headers): a rough figure, so that the bound holds.
const ENTRY_OVERHEAD_BYTES = 256;

const listKey = (q: LocationPageRequest): string =>
  [q.partyFk, q.viewer.countryCode.toUpperCase(), q.viewer.partyId.toUpperCase(), q.dateFrom?.getTime() ?? '', q.dateTo?.getTime() ?? ''].join('|');

const pageKey = (q: LocationPageRequest): string => `page|${listKey(q)}|${q.offset}|${q.limit}|${q.afterId ?? ''}`;

export class OcpiLocationPages {
  private readonly kept: ByteLru<Kept>;
  private newestStamp = -1n;

  constructor(private readonly o: { db: Knex; tariffs: Pick<TariffService, 'partyTariffIdsOfSites'>; maxBytes: number }) {
    this.kept = new ByteLru(o.maxBytes);
  }

  async page(q: LocationPageRequest): Promise<RenderedLocationPage> {
    if (this.o.maxBytes === 0) return (await this.render(q, undefined)).page;
    const stamp = BigInt(await readChangeStamp(this.o.db, 'ocpi_locations'));
    this.dropOlderThan(stamp);
    const key = pageKey(q);
    const kept = this.kept.get(key);
    if (kept?.stamp === stamp && kept.page) return kept.page;
    const countsKey = `counts|${listKey(q)}`;
    const known = this.kept.get(countsKey);
    // Rendered after the stamp was read: it shows that state or a newer one, never an older one.
    const { page, counts } = await this.render(q, known?.stamp === stamp ? known.counts : undefined);
    this.kept.set(key, { stamp, page }, page.data.length + ENTRY_OVERHEAD_BYTES);
    this.kept.set(countsKey, { stamp, counts }, ENTRY_OVERHEAD_BYTES);
    return page;
  }

  /** How much the kept pages take (bytes, as bounded). */
  get keptBytes(): number {
    return this.kept.bytes;
  }

  private dropOlderThan(stamp: bigint): void {
    if (stamp <= this.newestStamp) return;
    this.newestStamp = stamp;
    this.kept.clear();
  }

  private async render(q: LocationPageRequest, known: LocationCounts | undefined): Promise<{ page: RenderedLocationPage; counts: LocationCounts }> {
    const { counts, trees } = await listLocationTreesFor(this.o.db, { ...q, known });
    const items = (await this.asSeenBy(q.viewer, trees)).map(toOcpiLocation);
    const page = { data: Buffer.from(JSON.stringify(items)), count: items.length, total: counts.published + counts.concerning, lastKey: trees.at(-1)?.location.id };
    return { page, counts };
  }

  /** The trees as the requesting eMSP party sees them: its own Connector.tariff_ids (locations §8.3.3). */
  async asSeenBy(viewer: PartyRef, trees: LocationTree[]): Promise<LocationTree[]> {
    const view = await this.o.tariffs.partyTariffIdsOfSites(this.o.db, viewer, trees.flatMap(connectorSitesOf));
    return trees.map((tree) => withTariffView(tree, view));
  }
}

// Domain types of stored tariffs and assignment rules (camelCase; the OCPI wire types are in
// tariff.types.ts and only ocpi.mapper.ts converts between the two).
import type { DisplayText, TariffElement, TariffType } from './tariff.types.ts';
import type { TariffAssignment } from './tariff-selection.ts';

/** A Price as exact decimal strings (numeric columns), never binary floats. */
export interface StoredPrice {
  exclVat: string;
  inclVat: string | null;
}

/** A tariff as stored: OCPI 2.2.1 tariffs §11.3.1 plus the owning party. */
export interface TariffRecord {
  id: string;
  partyFk: number;
  countryCode: string;
  partyId: string;
  currency: string;
  type: TariffType | null;
  altText: DisplayText[] | null;
  altUrl: string | null;
  minPrice: StoredPrice | null;
  maxPrice: StoredPrice | null;
  /** Element JSON as received (jsonb keeps the numbers exact; the engine parses them exactly). */
  elements: TariffElement[];
  /** The elements as the operator entered them, prices incl. VAT, when the party quotes prices incl. VAT (else null). */
  enteredElements: TariffElement[] | null;
  energyMix: unknown;
  startDateTime: Date | null;
  endDateTime: Date | null;
  lastUpdated: Date;
}

/** What is written for a tariff (the owning party's codes come from the parties table). */
export type TariffWrite = Omit<TariffRecord, 'countryCode' | 'partyId'>;

export type { TariffAssignment };

/** A new assignment rule (exactly one of connectorFk / evseFk / locationId). */
export type NewTariffAssignment = Omit<TariffAssignment, 'id'>;

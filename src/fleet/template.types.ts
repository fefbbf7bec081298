import type { KeyDrift } from './drift.ts';

/** Configuration template (issue 9): OCPP 1.6 configuration keys for chargers of a vendor/model. */
export interface ConfigurationTemplate {
  id: number;
  name: string;
  /** Null: any vendor. */
  vendor: string | null;
  /** Null: any model. */
  model: string | null;
  keys: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

export type TemplateInput = Pick<ConfigurationTemplate, 'name' | 'vendor' | 'model' | 'keys'>;

/** A charger a template applies to, with its drift. */
export interface ChargerDrift {
  chargePointId: string;
  vendor: string | null;
  model: string | null;
  isInSync: boolean;
  keys: KeyDrift[];
}

/** What applying a template to one charger did: per key, the ChangeConfiguration answer (or Offline / Failed). */
export interface ApplyResult {
  chargePointId: string;
  keys: Array<{ key: string; value: string; status: string }>;
}

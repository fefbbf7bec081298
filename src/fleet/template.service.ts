import type { Knex } from 'knex';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Clock } from '../shared/clock.ts';
import { mapBounded } from '../shared/bulk.ts';
import { InvalidInput } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { sendToCharger } from '../maintenance/charger-command.ts';
import { configurationDrift } from './drift.ts';
import * as repo from './template.repo.ts';
import type { ApplyResult, ChargerDrift, ConfigurationTemplate, TemplateInput } from './template.types.ts';

/** Chargers a template is applied to at once: each waits up to callTimeoutMs for an answer per key. */
export const APPLY_CONCURRENCY = 16;

// OCPP 1.6 §5.3 ChangeConfiguration.req: key CiString50, value CiString500.
const MAX_KEY = 50;
const MAX_VALUE = 500;

function checkTemplate(input: Partial<TemplateInput>): TemplateInput {
  const { name, vendor = null, model = null, keys } = input;
  if (typeof name !== 'string' || name.length === 0 || name.length > 100) throw new InvalidInput('name: required string of 1-100 characters');
  for (const [field, v] of [['vendor', vendor], ['model', model]] as const) {
    if (v !== null && (typeof v !== 'string' || v.length === 0 || v.length > 20)) throw new InvalidInput(`${field}: null (any) or a string of 1-20 characters (OCPP 1.6 BootNotification CiString20)`);
  }
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys) || Object.keys(keys).length === 0) throw new InvalidInput('keys: a non-empty object of configuration key → value');
  for (const [k, v] of Object.entries(keys)) {
    if (k.length > MAX_KEY || typeof v !== 'string' || v.length > MAX_VALUE) throw new InvalidInput(`keys.${k.slice(0, MAX_KEY)}: keys of at most ${MAX_KEY} characters with string values of at most ${MAX_VALUE}`);
  }
  return { name, vendor, model, keys };
}

/** Configuration templates per charger model (issue 9): CRUD, drift per charger, applied with ChangeConfiguration. */
export class ConfigurationTemplateService {
  constructor(private readonly o: { db: Knex; clock: Clock; logger: Logger; commands: CommandSender; callTimeoutMs: number; applyConcurrency?: number }) {}

  create(input: Partial<TemplateInput>): Promise<ConfigurationTemplate> {
    return repo.insertTemplate(this.o.db, checkTemplate(input), this.o.clock.now());
  }

  replace(id: number, input: Partial<TemplateInput>): Promise<ConfigurationTemplate> {
    return repo.updateTemplate(this.o.db, id, checkTemplate(input), this.o.clock.now());
  }

  remove(id: number): Promise<void> {
    return repo.deleteTemplate(this.o.db, id);
  }

  get(id: number): Promise<ConfigurationTemplate> {
    return repo.getTemplate(this.o.db, id);
  }

  list(): Promise<ConfigurationTemplate[]> {
    return repo.listTemplates(this.o.db);
  }

  /** Every charger of the template's model (or those of `ids` among them) with each template key's state. */
  async drift(id: number, ids?: string[]): Promise<ChargerDrift[]> {
    const template = await repo.getTemplate(this.o.db, id);
    const chargers = await repo.listChargersOfModel(this.o.db, { vendor: template.vendor, model: template.model, ids });
    const confirmed = await repo.listConfirmedValues(this.o.db, chargers.map((c) => c.id));
    return chargers.map((c) => {
      const keys = configurationDrift(template.keys, confirmed.get(c.id) ?? []);
      return { chargePointId: c.id, vendor: c.vendor, model: c.model, isInSync: keys.every((k) => k.state === 'IN_SYNC' || k.state === 'REBOOT_REQUIRED'), keys };
    });
  }

  /**
   * Sends ChangeConfiguration for each key not in sync on each charger of the template's model (or of `ids`);
   * the answers are recorded as the charger's configuration (the command sender records them), so the drift
   * shows the result. A charger that is offline gets nothing (Offline) and is applied again later.
   */
  async apply(id: number, ids?: string[]): Promise<ApplyResult[]> {
    // Chargers in parallel (a slow or silent one no longer holds up the rest), at most applyConcurrency at once;
    // one charger's keys one after the other (OCPP-J §4.1.1: one outstanding CALL per charger).
    return mapBounded(await this.drift(id, ids), this.o.applyConcurrency ?? APPLY_CONCURRENCY, async (charger) => {
      const keys: ApplyResult['keys'] = [];
      for (const k of charger.keys.filter((x) => x.state === 'DRIFT' || x.state === 'UNKNOWN')) {
        const outcome = await sendToCharger({ commands: this.o.commands, logger: this.o.logger, timeoutMs: this.o.callTimeoutMs }, charger.chargePointId, 'ChangeConfiguration', { key: k.key, value: k.expected });
        keys.push({ key: k.key, value: k.expected, status: outcome.status });
        if (outcome.status === 'Offline') break; // the rest would fail alike
      }
      return { chargePointId: charger.chargePointId, keys };
    });
  }
}

import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { InvalidInput, NotFound, Unauthorized } from '../shared/errors.ts';
import { hashSecret, newSecret } from '../shared/ids.ts';
import * as repo from './apikey.repo.ts';
import type { ApiKey } from './apikey.repo.ts';
import { ROLES, isRole } from './permissions.ts';

const newKey = (): string => `cpms_${newSecret(32)}`;

/** API keys for the admin API: random secrets stored as SHA-256, shown once at creation. */
export class ApiKeyService {
  constructor(private readonly o: { db: Knex; clock: Clock }) {}

  async create(name: string, role: string): Promise<{ key: string; apiKey: ApiKey }> {
    if (!isRole(role)) throw new InvalidInput(`role: must be one of ${ROLES.join(', ')}`);
    if (!name || name.length > 100) throw new InvalidInput('name: must be 1-100 characters');
    const key = newKey();
    const apiKey = await repo.insertApiKey(this.o.db, { name, role, keyHash: hashSecret(key), prefix: key.slice(0, 12) });
    return { key, apiKey };
  }

  /**
   * On a database without any API key: creates one admin key named `name`, exactly one even when several
   * nodes start together on one database. `keep` receives the key before the commit; if it fails, no key
   * is created (nobody could ever read it). Undefined when a key existed.
   */
  async createFirstAdminKey(name: string, keep: (key: string) => Promise<void>): Promise<ApiKey | undefined> {
    return this.o.db.transaction(async (trx) => {
      await repo.lockFirstApiKeyCreation(trx);
      const key = newKey();
      const apiKey = await repo.insertApiKeyIfNone(trx, { name, role: 'admin', keyHash: hashSecret(key), prefix: key.slice(0, 12) });
      if (apiKey) await keep(key);
      return apiKey;
    });
  }

  async verify(key: string): Promise<ApiKey> {
    const apiKey = await repo.findActiveApiKeyByHash(this.o.db, hashSecret(key));
    if (!apiKey) throw new Unauthorized('invalid or revoked API key');
    await repo.touchApiKey(this.o.db, apiKey.id, this.o.clock.now());
    return apiKey;
  }

  list(): Promise<ApiKey[]> {
    return repo.listApiKeys(this.o.db);
  }

  async revoke(id: number): Promise<void> {
    if ((await repo.revokeApiKey(this.o.db, id, this.o.clock.now())) === 0) throw new NotFound(`API key ${id} not found or already revoked`);
  }
}

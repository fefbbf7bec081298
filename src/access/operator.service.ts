import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { newSecret } from '../shared/ids.ts';
import type { PasswordHasher } from '../shared/password.ts';
import * as repo from './operator.repo.ts';
import * as sessions from './operator-session.repo.ts';
import type { Operator } from './operator.repo.ts';
import { ROLES, isRole, type Role } from './permissions.ts';

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

/** Refuses a password too short or too long, naming `field`. */
export function checkPassword(password: unknown, field = 'password'): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    throw new InvalidInput(`${field}: must be a string of ${MIN_PASSWORD_LENGTH}-${MAX_PASSWORD_LENGTH} characters`);
  }
  return password;
}

function checkEmail(email: unknown): string {
  if (typeof email !== 'string' || email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) throw new InvalidInput('email: must be an email address of at most 254 characters');
  return email;
}

function checkRole(role: unknown): Role {
  if (!isRole(role)) throw new InvalidInput(`role: must be one of ${ROLES.join(', ')}`);
  return role;
}

function checkName(name: unknown): string | null {
  if (name === undefined || name === null) return null;
  if (typeof name !== 'string' || name.length > 100) throw new InvalidInput('name: must be a string of at most 100 characters');
  return name;
}

export interface NewOperator {
  email: unknown;
  role: unknown;
  name?: unknown;
  /** Absent: a one-time password is made, which must be changed at the first login. */
  password?: unknown;
}

/** Operator accounts: created, listed, changed and disabled by admins (API) or on the server (CLI). */
export class OperatorService {
  constructor(private readonly o: { db: Knex; clock: Clock; passwords: PasswordHasher }) {}

  async add(input: NewOperator): Promise<{ operator: Operator; oneTimePassword?: string }> {
    const email = checkEmail(input.email);
    const role = checkRole(input.role);
    const name = checkName(input.name);
    const oneTimePassword = input.password === undefined ? newSecret(12) : undefined;
    const password = oneTimePassword ?? checkPassword(input.password);
    const passwordHash = await this.o.passwords.hash(password);
    const operator = await repo.insertOperator(this.o.db, { email, name, role, passwordHash, mustChangePassword: oneTimePassword !== undefined });
    return { operator, oneTimePassword };
  }

  list(page: { limit: number; offset: number }): Promise<Operator[]> {
    return repo.listOperators(this.o.db, page);
  }

  async get(id: number): Promise<Operator> {
    const operator = await repo.findOperator(this.o.db, id);
    if (!operator) throw new NotFound(`operator ${id} not found`);
    return operator;
  }

  async idOfEmail(email: string): Promise<number> {
    const found = await repo.findCredentialsByEmail(this.o.db, email);
    if (!found) throw new NotFound(`operator ${email} not found`);
    return found.id;
  }

  /** Role, name or disabled; disabling ends every session of the account at once. */
  async update(id: number, patch: { role?: unknown; name?: unknown; disabled?: unknown }): Promise<Operator> {
    if (patch.disabled !== undefined && typeof patch.disabled !== 'boolean') throw new InvalidInput('disabled: must be a boolean');
    const changes = {
      role: patch.role === undefined ? undefined : checkRole(patch.role),
      name: patch.name === undefined ? undefined : checkName(patch.name),
      disabledAt: patch.disabled === undefined ? undefined : patch.disabled ? this.o.clock.now() : null,
    };
    return this.o.db.transaction(async (trx) => {
      const operator = await repo.updateOperator(trx, id, changes);
      if (!operator) throw new NotFound(`operator ${id} not found`);
      if (patch.disabled === true) await sessions.deleteOperatorSessions(trx, id);
      return operator;
    });
  }
}

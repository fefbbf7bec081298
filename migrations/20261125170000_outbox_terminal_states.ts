import type { Knex } from 'knex';

// Terminal outbox states: CANCELLED (the partner was unregistered) and DEAD (can never be delivered, or gave
// up after ocpi.push.maxAttempts). Only PENDING/SENDING rows are queued, so the partial indexes of the queue
// now leave out every finished row, not just DELIVERED ones.
const QUEUED = "status in ('PENDING', 'SENDING')";

export async function up(knex: Knex): Promise<void> {
  // Rows already stranded by an unregistration (they were retried forever before this change).
  await knex.raw(`update ocpi_outbox o set status = 'CANCELLED', last_error = 'cancelled: partner unregistered'
    from ocpi_partners p where p.id = o.partner_fk and p.status = 'UNREGISTERED' and o.${QUEUED}`);
  await knex.raw('drop index if exists ocpi_outbox_due');
  await knex.raw('drop index if exists ocpi_outbox_key');
  await knex.raw(`create index ocpi_outbox_due on ocpi_outbox (next_attempt_at, id) where ${QUEUED}`);
  await knex.raw(`create index ocpi_outbox_key on ocpi_outbox (partner_fk, object_key, id) where ${QUEUED}`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("update ocpi_outbox set status = 'PENDING' where status in ('DEAD', 'CANCELLED')");
  await knex.raw('drop index if exists ocpi_outbox_due');
  await knex.raw('drop index if exists ocpi_outbox_key');
  await knex.raw("create index ocpi_outbox_due on ocpi_outbox (next_attempt_at, id) where status <> 'DELIVERED'");
  await knex.raw("create index ocpi_outbox_key on ocpi_outbox (partner_fk, object_key, id) where status <> 'DELIVERED'");
}

// Applying a configuration template (issue 9 fleet management) to many chargers: chargers in parallel up to
// a bound, each charger's keys one after the other (OCPP-J: one outstanding CALL per charger), results in
// charger order. The command sender is a fake whose answers the test releases one by one (no timers).
import { expect } from 'chai';
import { EventEmitter, once } from 'node:events';
import { ConfigurationTemplateService } from '../../../src/fleet/template.service.ts';
import type { CommandSender } from '../../../src/ocpp/commands.ts';
import { fixedClock } from '../../../src/shared/clock.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { useTestDb } from '../../helpers/use-test-app.ts';

/** A command sender that holds every call until `release` answers it. */
class HeldCommands extends EventEmitter implements CommandSender {
  readonly pending: Array<{ chargePointId: string; key: string; answer: () => void }> = [];
  readonly started: string[] = [];

  send(chargePointId: string, _action: string, payload: unknown): Promise<never> {
    return new Promise((resolve) => {
      const key = (payload as { key: string }).key;
      this.started.push(`${chargePointId}:${key}`);
      this.pending.push({ chargePointId, key, answer: () => resolve({ status: 'Accepted' } as never) });
      this.emit('call');
    });
  }

  async untilStarted(n: number): Promise<void> {
    while (this.started.length < n) await once(this, 'call');
  }

  release(chargePointId: string): void {
    const i = this.pending.findIndex((p) => p.chargePointId === chargePointId);
    this.pending.splice(i, 1)[0]!.answer();
  }
}

describe('fleet: applying a configuration template', () => {
  const t = useTestDb();

  it('should apply to at most applyConcurrency chargers at once, one key at a time per charger, answering in charger order', async () => {
    // Arrange: three chargers of the model, two keys to change on each
    await t.db('charge_points').insert(['CP-T1', 'CP-T2', 'CP-T3'].map((id) => ({ id, vendor: 'Acme', model: 'X1' })));
    const commands = new HeldCommands();
    const svc = new ConfigurationTemplateService({ db: t.db, clock: fixedClock(new Date('2026-03-01T00:00:00Z')), logger: createLogger('error'), commands, callTimeoutMs: 1000, applyConcurrency: 2 });
    const template = await svc.create({ name: 'acme', vendor: 'Acme', model: 'X1', keys: { HeartbeatInterval: '300', MeterValueSampleInterval: '60' } });

    // Act + Assert: two chargers start, the third waits for a free slot
    const applied = svc.apply(template.id);
    await commands.untilStarted(2);
    expect(commands.started).to.deep.equal(['CP-T1:HeartbeatInterval', 'CP-T2:HeartbeatInterval']);
    commands.release('CP-T2');
    await commands.untilStarted(3);
    expect(commands.started[2]).to.equal('CP-T2:MeterValueSampleInterval'); // CP-T2's next key, still no third charger
    commands.release('CP-T2');
    await commands.untilStarted(4);
    expect(commands.started[3]).to.equal('CP-T3:HeartbeatInterval'); // CP-T2 done: its slot goes to CP-T3
    while (commands.pending.length > 0) {
      commands.release(commands.pending[0]!.chargePointId);
      await new Promise<void>((resolve) => setImmediate(resolve)); // let the next key of that charger be sent
    }

    const results = await applied;
    expect(results.map((r) => [r.chargePointId, r.keys.map((k) => `${k.key}=${k.status}`)])).to.deep.equal([
      ['CP-T1', ['HeartbeatInterval=Accepted', 'MeterValueSampleInterval=Accepted']],
      ['CP-T2', ['HeartbeatInterval=Accepted', 'MeterValueSampleInterval=Accepted']],
      ['CP-T3', ['HeartbeatInterval=Accepted', 'MeterValueSampleInterval=Accepted']],
    ]);
  });
});

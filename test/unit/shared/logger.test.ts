// Logs (issue 14): JSON lines for machines, a readable coloured line on a terminal, the request / charger of
// the work in progress on every line, and no secret in either format.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { createLogger, isPretty, prettyLine, type LoggerOptions } from '../../../src/shared/logger.ts';
import { withLogContext } from '../../../src/shared/log-context.ts';

/** A logger writing into memory; `lines()` gives what it wrote so far. */
function aCapturedLogger(o: LoggerOptions = {}) {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  const logger = createLogger('debug', { ...o, stream });
  return { logger, lines: () => chunks.join('').split('\n').filter((l) => l !== '') };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('logger', () => {
  it('should write one JSON object per line by default off a terminal', async () => {
    const { logger, lines } = aCapturedLogger({ format: 'auto', isTty: false });

    logger.info('charger connected', { module: 'ocpp', chargePointId: 'CP-1', protocol: 'ocpp1.6' });
    await tick();

    const line = JSON.parse(lines()[0]);
    expect(line).to.include({ level: 'info', message: 'charger connected', module: 'ocpp', chargePointId: 'CP-1', protocol: 'ocpp1.6' });
    expect(line.timestamp).to.match(/^\d{4}-\d\d-\d\dT/);
  });

  it('should choose the readable format on a terminal or when asked, JSON otherwise', () => {
    expect([isPretty('auto', true), isPretty('auto', false), isPretty('pretty', false), isPretty('json', true)]).to.deep.equal([true, false, true, false]);
  });

  it('should write a readable line with the same fields, coloured only on a terminal', async () => {
    const plain = aCapturedLogger({ format: 'pretty', isTty: false });
    const coloured = aCapturedLogger({ format: 'pretty', isTty: true });

    for (const { logger } of [plain, coloured]) logger.warn('charger refused at handshake', { module: 'ocpp', chargePointId: 'CP-1', reason: 'bad password', status: 401 });
    await tick();

    expect(plain.lines()[0]).to.match(/^\d{4}-\d\d-\d\dT\S+Z WARN  \[ocpp\] charger refused at handshake chargePointId=CP-1 reason="bad password" status=401$/);
    expect(plain.lines()[0]).to.not.include('\x1b[');
    expect(coloured.lines()[0]).to.include('\x1b[33mWARN ').and.include('charger refused at handshake');
  });

  it('should print an error stack under its readable line', () => {
    const text = prettyLine({ level: 'error', message: 'boom', timestamp: 'T', stack: 'Error: boom\n    at x' }, false);

    expect(text).to.equal('T ERROR boom\nError: boom\n    at x');
  });

  it('should add the request id and charger id of the work in progress, through awaits, unless the line has its own', async () => {
    const { logger, lines } = aCapturedLogger({ format: 'json' });

    await withLogContext({ requestId: 'req-1' }, async () => {
      await tick();
      logger.info('inside a request');
      await withLogContext({ chargePointId: 'CP-7' }, async () => logger.info('inside a charger call'));
      logger.info('own id', { requestId: 'mine' });
    });
    logger.info('outside');
    await tick();

    const parsed = lines().map((l) => JSON.parse(l));
    expect(parsed.map((l) => [l.message, l.requestId, l.chargePointId])).to.deep.equal([
      ['inside a request', 'req-1', undefined],
      ['inside a charger call', 'req-1', 'CP-7'],
      ['own id', 'mine', undefined],
      ['outside', undefined, undefined],
    ]);
  });

  it('should never write a secret field or one of our secret values, in either format, but keep flags named like one', async () => {
    const secrets = { password: 'hunter2-pw', authorization: 'Basic aHVudGVy', nested: { token: 'tok-123', apiKey: 'k-456' }, note: 'cpms_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345' };
    for (const format of ['json', 'pretty'] as const) {
      const { logger, lines } = aCapturedLogger({ format, isTty: false });

      logger.info('login', { ...secrets, hasCredential: true, email: 'op@example.com' });
      await tick();

      const text = lines().join('\n');
      for (const secret of ['hunter2-pw', 'aHVudGVy', 'tok-123', 'k-456', 'cpms_ABCDEFGH']) expect(text, format).to.not.include(secret);
      expect(text, format).to.include('[redacted]').and.include('op@example.com');
      expect(text, format).to.match(/hasCredential("?:|=)true/);
    }
  });
});

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Clock } from '../shared/clock.ts';
import { Conflict, InvalidInput, NotFound, Unauthorized } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { sendToCharger } from '../maintenance/charger-command.ts';
import { assertChargerExists } from '../chargers/charger.service.ts';
import * as repo from './log-request.repo.ts';
import type { LogRequest, LogType } from './log-request.types.ts';
import type { UploadedFile } from './log-upload.ts';

export interface LogAsk {
  chargePointId: string;
  logType: LogType;
  oldestTimestamp?: Date;
  latestTimestamp?: Date;
  retries?: number;
  retryInterval?: number;
}

export interface LogRequestOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  commands: CommandSender;
  callTimeoutMs: number;
}

/** Path of the upload endpoint under the public URL (the token authenticates the charger, see receiveUpload). */
export const LOG_UPLOAD_PATH = '/uploads/logs';

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * GetLog (OCPP 1.6 security whitepaper §"Get Security Log"; 2.0.1 N01): cpms asks a charger for its
 * diagnostics or security log, to be uploaded to cpms itself: remoteLocation is
 * `<publicUrl>/uploads/logs/<requestId>/<token>`, the token random and good for one upload. The charger's
 * LogStatusNotification (requestId) gives the progress; the file is then downloadable through the admin API.
 */
export class LogRequestService {
  constructor(private readonly o: LogRequestOptions) {}

  async request(ask: LogAsk, baseUrl: string, by: string): Promise<LogRequest> {
    if (ask.oldestTimestamp && ask.latestTimestamp && ask.latestTimestamp.getTime() < ask.oldestTimestamp.getTime()) throw new InvalidInput('latestTimestamp: must not be before oldestTimestamp');
    await assertChargerExists(this.o.db, ask.chargePointId);
    const token = randomBytes(24).toString('base64url');
    const created = await repo.insertLogRequest(this.o.db, {
      chargePointId: ask.chargePointId, logType: ask.logType, oldestTimestamp: ask.oldestTimestamp ?? null, latestTimestamp: ask.latestTimestamp ?? null, uploadTokenHash: sha256(token), createdBy: by,
    }, this.o.clock.now());
    const payload = {
      logType: ask.logType,
      requestId: created.id,
      log: {
        remoteLocation: `${baseUrl.replace(/\/+$/, '')}${LOG_UPLOAD_PATH}/${created.id}/${token}`,
        ...(ask.oldestTimestamp ? { oldestTimestamp: ask.oldestTimestamp.toISOString() } : {}),
        ...(ask.latestTimestamp ? { latestTimestamp: ask.latestTimestamp.toISOString() } : {}),
      },
      ...(ask.retries !== undefined ? { retries: ask.retries } : {}),
      ...(ask.retryInterval !== undefined ? { retryInterval: ask.retryInterval } : {}),
    };
    const outcome = await sendToCharger({ commands: this.o.commands, logger: this.o.logger, timeoutMs: this.o.callTimeoutMs }, ask.chargePointId, 'GetLog', payload);
    return repo.recordLogAnswer(this.o.db, created.id, { status: outcome.status, fileName: outcome.response?.filename ?? null, lastError: outcome.error ?? null }, this.o.clock.now());
  }

  /** The LogStatusNotification hook: progress of the request its requestId names. */
  async onLogStatus(trx: Knex.Transaction, chargePointId: string, payload: unknown): Promise<void> {
    const { status, requestId } = payload as { status: string; requestId?: number };
    // Idle answers a TriggerMessage when no upload runs (requestId may be omitted then): it says nothing of a request.
    if (status === 'Idle' || requestId === undefined) return;
    if (!(await repo.updateLogStatus(trx, chargePointId, requestId, status, this.o.clock.now()))) {
      // Not a GetLog request of this charger's: a diagnostics upload (GetDiagnostics sent as GetLog to a 2.0.1
      // station, followed by the fleet's diagnostics hook) or an unknown id.
      this.o.logger.info('LogStatusNotification names no log request of this charger', { chargePointId, requestId, status });
    }
  }

  /** The charger's upload: the token must be the request's and unused (401 / 409 otherwise, the same 401 for an unknown request). */
  async receiveUpload(id: number, token: string, file: UploadedFile): Promise<LogRequest> {
    const gate = await repo.findUploadGate(this.o.db, id);
    const given = Buffer.from(sha256(token), 'hex');
    if (!gate || !timingSafeEqual(given, Buffer.from(gate.tokenHash, 'hex'))) throw new Unauthorized('upload token not valid');
    if (gate.isUploaded || !(await repo.storeUpload(this.o.db, id, file, this.o.clock.now()))) throw new Conflict(`log request ${id}: a file was uploaded already`);
    const stored = await repo.getLogRequest(this.o.db, id);
    this.o.logger.info('log uploaded', { chargePointId: stored.chargePointId, requestId: id, sizeBytes: stored.sizeBytes });
    return stored;
  }

  get(id: number): Promise<LogRequest> {
    return repo.getLogRequest(this.o.db, id);
  }

  list(f: { chargePointId?: string; limit: number; offset: number }): Promise<LogRequest[]> {
    return repo.listLogRequests(this.o.db, f);
  }

  /** The uploaded file with its name; NotFound while nothing was uploaded. */
  async file(id: number): Promise<{ request: LogRequest; content: Buffer }> {
    const request = await repo.getLogRequest(this.o.db, id);
    const content = await repo.findLogContent(this.o.db, id);
    if (!content) throw new NotFound(`log request ${id}: no file uploaded (status ${request.status})`);
    return { request, content };
  }
}

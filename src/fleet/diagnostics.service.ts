import type { Knex } from 'knex';
import type { CommandSender } from '../ocpp/commands.ts';
import type { Clock } from '../shared/clock.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { sendToCharger } from '../maintenance/charger-command.ts';
import { assertChargerExists } from '../chargers/charger.service.ts';
import * as repo from './diagnostics.repo.ts';
import { diagnosticsStatusOfLog } from './diagnostics-status.ts';

export interface DiagnosticsAsk {
  chargePointId: string;
  /** Upload location; the operator's configured one (maintenance.diagnosticsLocation) when absent. */
  location?: string;
  startTime?: Date;
  stopTime?: Date;
  retries?: number;
  retryInterval?: number;
}

/**
 * Diagnostics requests (issue 9): OCPP 1.6 §5.9 GetDiagnostics to an upload location the operator
 * configures; the charger's answer names the file, its DiagnosticsStatusNotification (§4.4) the progress.
 */
export class DiagnosticsService {
  constructor(private readonly o: {
    db: Knex; clock: Clock; logger: Logger; commands: CommandSender; callTimeoutMs: number; defaultLocation: string;
    /** Whether a LogStatusNotification's requestId names one of the charger's GetLog requests (security logs), not a diagnostics request. */
    isLogRequest?: (trx: Knex.Transaction, chargePointId: string, requestId: number) => Promise<boolean>;
  }) {}

  async request(ask: DiagnosticsAsk, by: string): Promise<repo.DiagnosticsRequest> {
    const location = ask.location ?? this.o.defaultLocation;
    if (!location) throw new InvalidInput('location: required (no maintenance.diagnosticsLocation is configured)');
    if (ask.startTime && ask.stopTime && ask.stopTime.getTime() < ask.startTime.getTime()) throw new InvalidInput('stopTime: must not be before startTime');
    await assertChargerExists(this.o.db, ask.chargePointId);
    const payload = {
      location,
      ...(ask.startTime ? { startTime: ask.startTime.toISOString() } : {}),
      ...(ask.stopTime ? { stopTime: ask.stopTime.toISOString() } : {}),
      ...(ask.retries !== undefined ? { retries: ask.retries } : {}),
      ...(ask.retryInterval !== undefined ? { retryInterval: ask.retryInterval } : {}),
    };
    const outcome = await sendToCharger({ commands: this.o.commands, logger: this.o.logger, timeoutMs: this.o.callTimeoutMs }, ask.chargePointId, 'GetDiagnostics', payload);
    const fileName = outcome.response?.fileName ?? null;
    // GetDiagnostics.conf: no fileName = no diagnostics information available, nothing will be uploaded (§6.20)
    const status = outcome.response ? (fileName ? 'REQUESTED' : 'NO_DIAGNOSTICS') : outcome.status;
    return repo.insertDiagnosticsRequest(this.o.db, {
      chargePointId: ask.chargePointId, location, startTime: ask.startTime ?? null, stopTime: ask.stopTime ?? null, status, fileName, lastError: outcome.error ?? null, createdBy: by,
    }, this.o.clock.now());
  }

  /** The DiagnosticsStatusNotification hook. */
  async onDiagnosticsStatus(trx: Knex.Transaction, chargePointId: string, payload: unknown): Promise<void> {
    // OCPP 1.6 §4.4: Idle only answers a TriggerMessage when no upload runs; it says nothing of the last one.
    if ((payload as { status: string }).status === 'Idle') return;
    await repo.updateLatestRequested(trx, chargePointId, (payload as { status: string }).status, this.o.clock.now());
  }

  /**
   * The LogStatusNotification hook (OCPP 2.0.1 N01): to a 2.0.1 station GetDiagnostics is GetLog DiagnosticsLog
   * with a generated requestId, so a notification whose requestId is none of the charger's GetLog requests is
   * the progress of its latest diagnostics request, read as the 1.6 status.
   */
  async onLogStatus(trx: Knex.Transaction, chargePointId: string, payload: unknown): Promise<void> {
    const { status, requestId } = payload as { status: string; requestId?: number };
    const diagnosticsStatus = diagnosticsStatusOfLog(status);
    if (!diagnosticsStatus || requestId === undefined) return;
    if (await this.o.isLogRequest?.(trx, chargePointId, requestId)) return;
    await repo.updateLatestRequested(trx, chargePointId, diagnosticsStatus, this.o.clock.now());
  }

  get(id: number): Promise<repo.DiagnosticsRequest> {
    return repo.getDiagnosticsRequest(this.o.db, id);
  }

  list(f: { chargePointId?: string; limit: number; offset: number }): Promise<repo.DiagnosticsRequest[]> {
    return repo.listDiagnosticsRequests(this.o.db, f);
  }
}

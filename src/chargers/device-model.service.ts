import type { Knex } from 'knex';
import type { Clock } from '../shared/clock.ts';
import type { ReportDataType } from '../ocpp/v201/types.ts';
import * as repo from './device-model.repo.ts';
import { getChargePoint } from './charger.repo.ts';
import { deviceModelOf, type DeviceModelVariable } from './device-model.ts';

/** A station's device model (OCPP 2.0.1 B07/B08: GetBaseReport / GetReport answered by NotifyReport parts). */
export class DeviceModelService {
  constructor(private readonly o: { db: Knex; clock: Clock }) {}

  /** Stores one NotifyReport part (a report may come in many, each with its seqNo; the parts are independent). */
  async record(chargePointId: string, reportData: ReportDataType[] | undefined): Promise<void> {
    await repo.upsertDeviceModelVariables(this.o.db, chargePointId, deviceModelOf(reportData ?? []), this.o.clock.now());
  }

  /** Every variable reported so far; NotFound for an unknown charger. */
  async list(chargePointId: string): Promise<Array<DeviceModelVariable & { reportedAt: Date }>> {
    await getChargePoint(this.o.db, chargePointId);
    return repo.listDeviceModelVariables(this.o.db, chargePointId);
  }
}

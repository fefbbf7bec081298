import type { Config } from '../config/load.ts';
import type { ChargerService } from '../chargers/charger.service.ts';
import type { JobScheduler } from './scheduler.ts';

/** Registers every scheduled job. Later modules add theirs here. */
export function registerJobs(scheduler: JobScheduler, deps: { config: Config; chargers: ChargerService }): void {
  scheduler.register({
    name: 'offline-detection',
    schedule: deps.config.ocpp.offlineCheckCron,
    run: async () => ({ markedOffline: (await deps.chargers.markOverdueOffline(deps.config.ocpp.offlineAfterMissedHeartbeats)).length }),
  });
}

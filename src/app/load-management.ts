import type { AppDeps } from './app.types.ts';
import type { ServiceCore } from './services.ts';
import type { AlertService } from '../alerts/alert.service.ts';
import type { SessionService } from '../sessions/session.service.ts';
import type { JobScheduler } from '../jobs/scheduler.ts';
import { LoadManager } from '../loadmgmt/load-manager.service.ts';
import { LoadGroupService } from '../loadmgmt/load-group.service.ts';
import { currentsOfSamples } from '../loadmgmt/allocation-input.ts';
import { allocate } from '../loadmgmt/allocator.ts';
import { runDetached } from '../shared/background.ts';

/**
 * Load management (issue 10): the capacity tree and the manager that applies its allocation over OCPP,
 * run on every session start and stop, meaningful change of draw, charger (dis)connection and tree change.
 * The allocator is injected: the planning allocator of allocator.ts (deadlines, priorities, phases, time of use).
 */
export function buildLoadManagement(deps: AppDeps, core: ServiceCore, s: { alerts: AlertService; sessions: SessionService }) {
  const { config, db, clock, logger } = deps;
  const log = logger.child({ module: 'load-management' });
  const settings = config.loadManagement;
  const loadManager = new LoadManager({ db, clock, logger: log, commands: core.commands, alerts: s.alerts, settings, callTimeoutMs: config.ocpp.callTimeoutSec * 1000 }, allocate);
  const loadGroups = new LoadGroupService({ db, clock, manager: loadManager, settings });
  core.events.on('session.started', ({ sessionId }) => loadManager.requestRun(`session ${sessionId} started`));
  core.events.on('session.stopped', ({ sessionId }) => loadManager.requestRun(`session ${sessionId} stopped`));
  // An eMSP's profile is an upper bound inside the allocation (OCPI chargingprofiles): the smaller limit wins.
  core.events.on('chargingprofile.changed', ({ sessionId }) => loadManager.requestRun(`charging profile of session ${sessionId}`));
  core.events.on('charger.connected', ({ chargePointId }) => runDetached(log, 'load management: charger connected', () => loadManager.onChargerConnected(chargePointId)));
  core.events.on('charger.disconnected', ({ chargePointId }) => loadManager.requestRun(`charger ${chargePointId} disconnected`));
  core.events.on('charger.offline', ({ chargePointId }) => loadManager.requestRun(`charger ${chargePointId} offline`));
  // Per-phase Current.Import of each MeterValues: a run when a session's draw moved meaningfully.
  s.sessions.onMeterValues(async (_trx, changes) => {
    for (const { sessionId, samples } of changes) {
      const currents = currentsOfSamples(samples);
      if (currents.size > 0) loadManager.onMeasured(sessionId, currents);
    }
  });
  // OCPP 1.6 ConnectorPhaseRotation, as the charger confirms it.
  core.configuration.onConfirmed((chargePointId, keys) => loadGroups.recordConfiguration(chargePointId, keys));
  return { loadManager, loadGroups };
}

/** The timer: one reallocation per tick on one node (the job lock), besides the event triggers. */
export function registerLoadManagementJob(scheduler: JobScheduler, deps: AppDeps, loadManager: LoadManager): void {
  scheduler.register({ name: 'load-management', schedule: deps.config.loadManagement.cron, run: async () => ({ ...(await loadManager.run()) }) });
}

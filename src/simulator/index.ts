// The fleet simulator as a library (tests, benchmarks, demo data) — the `cpms simulate` command is built on it.
export { Fleet, runFleet } from './fleet.ts';
export { SimulatedCharger, derivePassword } from './sim-charger.ts';
export { registerFleet, type RegistrationResult } from './register.ts';
export { resolveOptions, allIdTags, chargerId, type FleetOptions, type ResolvedOptions } from './options.ts';
export { formatSummary, type SimulationSummary } from './stats.ts';
export type { ConnectorView, EvArrival } from './model/types.ts';

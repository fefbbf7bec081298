// The composition root lives in src/app/ (services, http, ocpp, index); this path stays for its importers.
export { createApp, type App, type AppDeps } from './app/index.ts';

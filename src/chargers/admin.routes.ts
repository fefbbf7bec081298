import type { PriceDisplayService } from './price-display.service.ts';
import express, { type Router } from 'express';
import type { Knex } from 'knex';
import { InvalidInput } from '../shared/errors.ts';
import { optionalString, parsePaging, parseSerialId, readOnExisting, requireString, sendBulkOutcome } from '../admin/http.ts';
import { OCPP16_COMMANDS, type CommandSender, type Ocpp16Command } from '../ocpp/commands.ts';
import { OCPP201_COMMANDS } from '../ocpp/v201/commands.ts';
import type { DeviceModelService } from './device-model.service.ts';
import * as repo from './charger.repo.ts';
import type { ChargerService } from './charger.service.ts';
import type { ChargerConfigurationService } from './configuration.service.ts';
import type { OnboardingService } from './onboarding.service.ts';
import type { ChargerImportService } from './charger-import.service.ts';
import type { RegistrationStatus } from './charger.types.ts';
import type { ConnectorService } from './connector.service.ts';
import type { ConnectorLimits } from './connector-limits.service.ts';
import { CONNECTOR_SPEC_FIELDS, readConnectorSpecPatch } from './connector-spec.ts';
import { evseAddressOf, type EvseAddress } from './evse-address.ts';

/** An operator's command and the charger's answer, both validated against the OCPP 1.6 schemas. */
export type AnsweredCommandHook = (chargePointId: string, cmd: { action: Ocpp16Command; request: unknown; response: unknown }) => void;

/** An OCPP 2.0.1 charger's connectors with the (evseId, connectorId) each stands for (evse-address.ts). */
function withEvseAddresses<C extends { connectorNumber: number | null }>(protocol: string | null, connectors: C[]): Array<C & { ocppEvse?: EvseAddress }> {
  if (protocol !== 'ocpp2.0.1') return connectors;
  return connectors.map((c) => (c.connectorNumber === null ? c : { ...c, ocppEvse: evseAddressOf(c.connectorNumber) }));
}

/**
 * Admin API: chargers, their live state, faults and commands. `onCommandAnswered` hears of every command
 * the charger answered (e.g. a charging profile change other parties must be told about); it must not throw.
 */
export function chargerAdminRoutes(deps: { db: Knex; chargers: ChargerService; connectors: ConnectorService; connectorLimits: ConnectorLimits; configuration: ChargerConfigurationService; deviceModel: DeviceModelService; onboarding: OnboardingService; imports: ChargerImportService; commands: CommandSender; priceDisplay: PriceDisplayService; onCommandAnswered?: AnsweredCommandHook }): Router {
  const r = express.Router();

  r.post('/chargers', async (req, res) => {
    const cp = await deps.chargers.register({
      id: requireString(req.body, 'id', 48),
      password: requireString(req.body, 'password', 40),
      locationId: optionalString(req.body, 'locationId', 36),
      evseUid: optionalString(req.body, 'evseUid', 36),
    });
    res.status(201).json(cp);
  });

  // Issue 8: up to 10,000 chargers in one request, all or nothing, with a result per row.
  r.post('/chargers/bulk', async (req, res) => {
    sendBulkOutcome(res, await deps.imports.import(req.body, { onExisting: readOnExisting(req) }));
  });

  r.get('/chargers', async (req, res) => {
    const chargers = await repo.listChargePoints(deps.db, { ...parsePaging(req), locationId: req.query.locationId as string | undefined });
    const data = await Promise.all(chargers.map(async (cp) => ({ ...cp, connectors: withEvseAddresses(cp.protocol, await repo.listConnectors(deps.db, cp.id)) })));
    res.json({ data });
  });

  r.get('/chargers/:id', async (req, res) => {
    const cp = await repo.getChargePoint(deps.db, req.params.id);
    res.json({ ...cp, connectors: withEvseAddresses(cp.protocol, await repo.listConnectors(deps.db, cp.id)) });
  });

  r.put('/chargers/:id/location', async (req, res) => {
    res.json(await deps.chargers.attach(req.params.id, requireString(req.body, 'locationId', 36), requireString(req.body, 'evseUid', 36)));
  });

  r.put('/chargers/:id/connectors/:connectorId', async (req, res) => {
    const connectorNumber = parseSerialId(req.params.connectorId, 'connectorId');
    // The same connector ids a charger may report: up to ocpp.maxConnectorId and its NumberOfConnectors.
    await deps.connectorLimits.check(req.params.id, connectorNumber, { allowWholeCharger: false });
    const { evseUid, spec } = readConnectorChange(req.body);
    res.json(await deps.connectors.configure(req.params.id, connectorNumber, { evseUid, spec }));
  });

  r.put('/chargers/:id/password', async (req, res) => {
    await deps.chargers.setPassword(req.params.id, requireString(req.body, 'password', 40));
    res.status(204).end();
  });

  r.put('/chargers/:id/registration', async (req, res) => {
    const status = requireString(req.body, 'status', 10);
    if (!['Accepted', 'Pending', 'Rejected'].includes(status)) throw new InvalidInput('status: must be Accepted, Pending or Rejected');
    res.json(await deps.chargers.setRegistrationStatus(req.params.id, status as RegistrationStatus));
  });

  r.post('/chargers/:id/accept', async (req, res) => {
    res.json(await deps.onboarding.accept(req.params.id, { password: optionalString(req.body, 'password', 40) }));
  });

  r.get('/chargers/:id/status-history', async (req, res) => {
    await repo.getChargePoint(deps.db, req.params.id);
    res.json({ data: await repo.listStatusHistory(deps.db, req.params.id, parsePaging(req).limit) });
  });

  r.get('/chargers/:id/events', async (req, res) => {
    await repo.getChargePoint(deps.db, req.params.id);
    res.json({ data: await repo.listEvents(deps.db, req.params.id, parsePaging(req).limit) });
  });

  // The configuration as the charger confirmed it: GetConfiguration answers and accepted ChangeConfigurations.
  r.get('/chargers/:id/device-model', async (req, res) => {
    res.json({ data: await deps.deviceModel.list(req.params.id) });
  });

  r.get('/chargers/:id/configuration', async (req, res) => {
    await repo.getChargePoint(deps.db, req.params.id);
    res.json({ data: await deps.configuration.list(req.params.id) });
  });

  r.get('/faults', async (req, res) => {
    const chargePointId = req.query.chargePointId as string | undefined;
    res.json({ data: await repo.listFaults(deps.db, { chargePointId, openOnly: req.query.open === 'true', limit: parsePaging(req).limit }) });
  });

  // OCPP 2.0.1 O01: the price before a session on a 2.0.1 station's display (409 for a 1.6 charger).
  r.post('/chargers/:id/price-display', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const connectorNumber = body.connectorId ?? 1;
    if (!Number.isInteger(connectorNumber) || (connectorNumber as number) < 1) throw new InvalidInput('connectorId: must be an integer from 1');
    res.json(await deps.priceDisplay.show(req.params.id, { connectorNumber: connectorNumber as number, language: readLanguage(body.language) }));
  });

  r.post('/chargers/:id/commands/:action', async (req, res) => {
    const action = req.params.action as Ocpp16Command;
    // 1.6 names work for both versions (translated for a 2.0.1 station); 2.0.1 names only for a 2.0.1 station.
    const actions: readonly string[] = [...OCPP16_COMMANDS, ...OCPP201_COMMANDS];
    if (!actions.includes(action)) throw new InvalidInput(`action: must be one of ${actions.join(', ')}`);
    const dedicated = DEDICATED_ROUTES[action];
    if (dedicated) throw new InvalidInput(`action: ${action} is sent through POST /api/v1/chargers/{id}/${dedicated}, which keeps the request the station's answers refer to`);
    const timeoutSec = readTimeoutSec(req.query.timeoutSec);
    await repo.getChargePoint(deps.db, req.params.id);
    const request = req.body ?? {};
    const response = await deps.commands.send(req.params.id, action, request, timeoutSec ? timeoutSec * 1000 : undefined);
    deps.onCommandAnswered?.(req.params.id, { action, request, response });
    res.json({ action, response });
  });

  return r;
}

// Commands whose later messages name a request cpms must have stored (NotifyCustomerInformation's requestId).
const DEDICATED_ROUTES: Readonly<Record<string, string>> = { CustomerInformation: 'customer-information' };

// OCPI 2.2.1 locations §8.3.2: EVSE.uid is a CiString(36), printable ASCII (types §16.1).
const EVSE_UID = /^[\x21-\x7e]{1,36}$/;
const CONNECTOR_FIELDS = new Set<string>(['evseUid', ...CONNECTOR_SPEC_FIELDS]);

/** The body of PUT /chargers/{id}/connectors/{connectorId}: an EVSE uid and/or connector data; an unknown field is refused. */
function readConnectorChange(body: unknown): { evseUid?: string; spec: ReturnType<typeof readConnectorSpecPatch> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidInput('body: must be a JSON object');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).find((k) => !CONNECTOR_FIELDS.has(k));
  if (unknown) throw new InvalidInput(`${unknown}: unknown field (allowed: ${[...CONNECTOR_FIELDS].join(', ')})`);
  if (b.evseUid !== undefined && (typeof b.evseUid !== 'string' || !EVSE_UID.test(b.evseUid))) throw new InvalidInput('evseUid: must be 1-36 printable ASCII characters (OCPI CiString(36))');
  return { evseUid: b.evseUid as string | undefined, spec: readConnectorSpecPatch(b) };
}

/** A display language (OCPP 2.0.1 MessageContent.language: up to 8 characters), one Intl knows; default en. */
function readLanguage(raw: unknown): string {
  if (raw === undefined) return 'en';
  if (typeof raw !== 'string' || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,4})?$/.test(raw)) throw new InvalidInput('language: must be a language tag of up to 8 characters (e.g. en, de-CH)');
  try {
    return Intl.getCanonicalLocales(raw)[0];
  } catch {
    throw new InvalidInput(`language: ${raw} is not a valid language tag`);
  }
}

/** `?timeoutSec`: whole seconds 1..300, as the openapi says (0.5 would be a 500 ms timeout nobody asked for). */
function readTimeoutSec(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > 300) {
    throw new InvalidInput('timeoutSec: must be an integer from 1 to 300');
  }
  return Number(raw);
}

import type { Ocpp16Handlers } from '../ocpp/router.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import type { SecurityEventService } from './security-event.service.ts';

/** OCPP 1.6 security whitepaper messages a charger sends. */
export const securityHandlers = (events: SecurityEventService): Ocpp16Handlers => ({
  SecurityEventNotification: async ({ chargePointId, params }) => {
    await events.record(chargePointId, { type: params.type, techInfo: params.techInfo, occurredAt: parseTimestamp(params.timestamp, 'timestamp') });
    return {};
  },
});

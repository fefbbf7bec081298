import { OcppError } from './errors.ts';
import type { Ocpp16Actions } from './v16/types.ts';
import type { Ocpp201Actions } from './v201/types.ts';

/** What a handler is given: the authenticated charger identity and the validated payload. */
export interface OcppCall<P> {
  chargePointId: string;
  params: P;
}

export type Ocpp16Handler<A extends keyof Ocpp16Actions> = (call: OcppCall<Ocpp16Actions[A]['req']>) => Promise<Ocpp16Actions[A]['conf']> | Ocpp16Actions[A]['conf'];

/** A group of OCPP 1.6 handlers, keyed by the action name exactly as in the spec. */
export type Ocpp16Handlers = { [A in keyof Ocpp16Actions]?: Ocpp16Handler<A> };

export type Ocpp201Handler<A extends keyof Ocpp201Actions> = (call: OcppCall<Ocpp201Actions[A]['req']>) => Promise<Ocpp201Actions[A]['conf']> | Ocpp201Actions[A]['conf'];

/** A group of OCPP 2.0.1 handlers, keyed by the action name exactly as in the spec. */
export type Ocpp201Handlers = { [A in keyof Ocpp201Actions]?: Ocpp201Handler<A> };

export type Dispatch = (chargePointId: string, action: string, params: unknown) => Promise<unknown>;

/**
 * Merges handler groups (one per domain) into one dispatch function. A duplicate action is a
 * programming error and fails at start-up; an action no group handles answers NotImplemented, or
 * NotSupported when it is one of `recognized` (OCPP-J 2.0.1 §4.3: "recognized but not supported").
 */
export function buildRouter<H extends Ocpp16Handlers | Ocpp201Handlers = Ocpp16Handlers>(groups: H[], o: { recognized?: ReadonlySet<string> } = {}): Dispatch {
  const table = new Map<string, (call: OcppCall<unknown>) => unknown>();
  for (const group of groups) {
    for (const [action, handler] of Object.entries(group)) {
      if (table.has(action)) throw new Error(`OCPP handler for ${action} registered twice`);
      table.set(action, handler as (call: OcppCall<unknown>) => unknown);
    }
  }
  return async (chargePointId, action, params) => {
    const handler = table.get(action);
    if (!handler && o.recognized?.has(action)) throw new OcppError('NotSupported', `action '${action}' is not supported yet`);
    if (!handler) throw new OcppError('NotImplemented', `action '${action}' is not implemented`);
    return handler({ chargePointId, params });
  };
}

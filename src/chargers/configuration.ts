// Pure: which configuration values a charger confirmed in its answer to a configuration command.
import type { ChangeConfigurationRequest, ChangeConfigurationResponse, GetConfigurationResponse } from '../ocpp/v16/types.ts';

export type ConfigurationStatus = 'Confirmed' | 'RebootRequired';

/** One configuration key as the charger confirmed it. */
export interface ConfirmedKey {
  key: string;
  value: string | null;
  /** Known from GetConfiguration only; null when the answer did not say. */
  readonly: boolean | null;
  status: ConfigurationStatus;
  source: 'GetConfiguration' | 'ChangeConfiguration';
}

/** OCPP 1.6 §9.1.11: the heartbeat interval in seconds. */
export const HEARTBEAT_INTERVAL_KEY = 'HeartbeatInterval';

/**
 * The keys a charger confirmed by answering `action`: every key of a GetConfiguration answer (§5.8), or the
 * key of a ChangeConfiguration it Accepted (applied now) or answered RebootRequired (applied after its next
 * reboot, §7.9). Rejected / NotSupported and every other action confirm nothing.
 */
export function confirmedKeys(action: string, request: unknown, response: unknown): ConfirmedKey[] {
  if (action === 'GetConfiguration') {
    const keys = (response as GetConfigurationResponse).configurationKey ?? [];
    return keys.map((k) => ({ key: k.key, value: k.value ?? null, readonly: k.readonly, status: 'Confirmed', source: 'GetConfiguration' }));
  }
  if (action === 'ChangeConfiguration') {
    const { status } = response as ChangeConfigurationResponse;
    if (status !== 'Accepted' && status !== 'RebootRequired') return [];
    const { key, value } = request as ChangeConfigurationRequest;
    return [{ key, value, readonly: false, status: status === 'Accepted' ? 'Confirmed' : 'RebootRequired', source: 'ChangeConfiguration' }];
  }
  return [];
}

/** A HeartbeatInterval value usable as an interval: whole seconds, at least 1 (0 lets the charger choose, §4.2). */
export function parseHeartbeatInterval(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\d{1,9}$/.test(value.trim())) return undefined;
  const sec = Number(value.trim());
  return sec >= 1 ? sec : undefined;
}

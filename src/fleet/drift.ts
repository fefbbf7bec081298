// Pure: configuration templates against what chargers confirmed (issue 9). No I/O.

/** A key as the charger confirmed it (charger_configuration). */
export interface ConfirmedValue {
  key: string;
  value: string | null;
  status: string;
}

/** One template key on one charger: in sync, applied but waiting for a reboot, different, or never read. */
export interface KeyDrift {
  key: string;
  expected: string;
  actual: string | null;
  state: 'IN_SYNC' | 'REBOOT_REQUIRED' | 'DRIFT' | 'UNKNOWN';
}

/**
 * Compares a template's keys with the charger's confirmed configuration. OCPP 1.6 §9: keys are
 * CiString50 (case-insensitive), so a key is matched whatever its case; values are compared as given.
 */
export function configurationDrift(template: Record<string, string>, confirmed: ConfirmedValue[]): KeyDrift[] {
  const byKey = new Map(confirmed.map((c) => [c.key.toLowerCase(), c]));
  return Object.entries(template).map(([key, expected]) => {
    const c = byKey.get(key.toLowerCase());
    if (!c) return { key, expected, actual: null, state: 'UNKNOWN' };
    if (c.value !== expected) return { key, expected, actual: c.value, state: 'DRIFT' };
    return { key, expected, actual: c.value, state: c.status === 'RebootRequired' ? 'REBOOT_REQUIRED' : 'IN_SYNC' };
  });
}

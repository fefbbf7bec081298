// Pure: a charger's settings (1.6 configuration keys, 2.0.1 device-model variables) over defaults shared by a
// whole fleet: only the settings a charger changed are stored per charger (20,000 chargers share one object).

export abstract class FleetSettings {
  /** the settings changed from the defaults */
  protected readonly changed = new Map<string, string>();

  /** `isKnown` refuses a default or own setting the station does not have (a bug in the fleet's options). */
  protected constructor(
    protected readonly defaults: Readonly<Record<string, string>>,
    own: Record<string, string>,
    isKnown: (key: string) => boolean,
    what: string,
  ) {
    for (const key of [...Object.keys(defaults), ...Object.keys(own)]) if (!isKnown(key)) throw new Error(`unknown ${what} ${key}`);
    for (const [key, value] of Object.entries(own)) this.changed.set(key, value);
  }

  protected has(key: string): boolean {
    return this.changed.has(key) || Object.hasOwn(this.defaults, key);
  }

  value(key: string): string | undefined {
    return this.changed.get(key) ?? this.defaults[key];
  }

  number(key: string): number {
    return Number(this.value(key) ?? 0);
  }

  bool(key: string): boolean {
    return this.value(key) === 'true';
  }

  list(key: string): string[] {
    return (this.value(key) ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  }
}

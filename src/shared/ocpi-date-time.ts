// OCPI 2.2.1 types §16.2 DateTime: string(25), RFC 3339 in UTC; "Fractional seconds MAY be used" and "the
// absence of the timezone designator implies a UTC timestamp". What a partner sends is kept to the digit:
// compared as the instant it stands for (PostgreSQL timestamptz keeps microseconds, more than string(25)
// leaves room for), and given back as the string it sent.

const ZONE_DESIGNATOR = /Z$/i;

/**
 * The instant an OCPI DateTime stands for, as RFC 3339 that PostgreSQL reads exactly: every fractional
 * digit kept (a JS Date would cut them to milliseconds) and `Z` added when absent. Pass it to queries as is.
 */
export function utcInstantOf(dateTime: string): string {
  return ZONE_DESIGNATOR.test(dateTime) ? dateTime : `${dateTime}Z`;
}

/**
 * The OCPI DateTime of a stored time: the string the partner sent when it is known, else the stored instant
 * in UTC, with milliseconds only when there are any.
 */
export function ocpiDateTimeOf(at: Date, asSent?: string | null): string {
  return asSent ?? at.toISOString().replace(/\.000Z$/, 'Z');
}

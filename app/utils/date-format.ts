const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A shared `Intl.DateTimeFormat` per locale and options. Building one costs about forty times a
 * format call and holds memory the engine keeps, so formatters are made once and reused.
 */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone this runtime's Intl knows, e.g. America/New_York. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

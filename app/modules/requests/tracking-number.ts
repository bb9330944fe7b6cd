/** Short enough to read over the phone, and says its town: SOM-1042. */
export function formatTrackingNumber(townCode: string, number: number): string {
  return `${townCode.toUpperCase()}-${number}`;
}

/** Accepts what people type: "som 1042", "SOM1042", " som-1042 ". */
export function parseTrackingNumber(input: string): { townCode: string; number: number } | null {
  const match = /^\s*([a-z]{2,4})[\s-]*(\d{1,9})\s*$/i.exec(input);
  if (!match) return null;
  const number = Number(match[2]);
  if (!Number.isSafeInteger(number) || number <= 0) return null;
  return { townCode: match[1]!.toUpperCase(), number };
}

/** Numbers start at 1001 so every tracking number has at least four digits. */
export const FIRST_REQUEST_NUMBER = 1001;

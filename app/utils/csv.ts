import { stripControlCharacters } from './control-characters';

/**
 * One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula gets a leading
 * apostrophe; numbers are written as they are, so a negative longitude stays a number.
 */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  // Stored text may predate today's checks; a spreadsheet should see neither controls nor formulas.
  const clean = stripControlCharacters(value);
  const text = /^[=+\-@\t\r]/.test(clean) ? `'${clean}` : clean;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, CRLF-terminated. */
export const csvLine = (cells: (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;

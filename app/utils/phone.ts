// US numbers: 10 digits (an optional leading 1), punctuation as people write it, an optional extension.
const PHONE = /^\+?[0-9().\-\s]+(\s*(x|ext\.?)\s*[0-9]{1,6})?$/i;

/** A number anyone can dial, as people write it: "617-555-0100", "(617) 555-0100 x12". Not "311": it only works locally. */
export function isUsPhoneNumber(text: string): boolean {
  const digits = text.replace(/(x|ext\.?).*$/i, '').replace(/\D/g, '');
  return PHONE.test(text) && (digits.length === 10 || (digits.length === 11 && digits.startsWith('1')));
}

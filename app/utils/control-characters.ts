import { z } from 'zod';

// C0 controls and DEL: PostgreSQL refuses NUL in text, and none of the others belongs in what
// people type. A multi-line field keeps its tabs and line breaks.
/* eslint-disable no-control-regex -- matching control characters is the point */
const FREE_OF_CONTROLS = /^[^\u0000-\u001f\u007f]*$/;
const FREE_OF_CONTROLS_BUT_LINE_BREAKS = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
const CONTROLS_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/* eslint-enable no-control-regex */

export const CONTROL_CHARACTERS_MESSAGE = 'Remove the invisible control characters from this field';

type TextOptions = { multiline?: boolean };

export function hasControlCharacters(text: string, { multiline = false }: TextOptions = {}): boolean {
  return !(multiline ? FREE_OF_CONTROLS_BUT_LINE_BREAKS : FREE_OF_CONTROLS).test(text);
}

/** Text for output that must not carry controls (a CSV cell); tabs and line breaks stay. */
export function stripControlCharacters(text: string): string {
  return text.replace(CONTROLS_BUT_LINE_BREAKS, '');
}

/**
 * `z.string()` for every text field of every form: a control character is refused with a message
 * next to the field (before any other rule, so the person learns what to fix). Chain the field's
 * own rules after it, e.g. `formText({ multiline: true }).trim().max(4000)`. A form whose messages
 * are codes passes its own code for the control-character rule.
 */
export function formText({
  multiline = false,
  required_error,
  controlCharactersMessage = CONTROL_CHARACTERS_MESSAGE,
}: TextOptions & { required_error?: string; controlCharactersMessage?: string } = {}) {
  return z.string({ required_error }).regex(multiline ? FREE_OF_CONTROLS_BUT_LINE_BREAKS : FREE_OF_CONTROLS, controlCharactersMessage);
}

/**
 * The query parameters of a request. No link or form of the site puts a control character in
 * one, so a name or value holding one answers 400 before it can reach a query or a page.
 */
export function searchParamsOf(request: Request): URLSearchParams {
  const params = new URL(request.url).searchParams;
  for (const [name, value] of params) {
    if (hasControlCharacters(name) || hasControlCharacters(value)) {
      throw new Response('This address holds invisible control characters. Check the link and try again.', { status: 400 });
    }
  }
  return params;
}

/** A path segment the router matched; one holding a control character names nothing (404). */
export function pathParam(params: Record<string, string | undefined>, name: string): string {
  const value = params[name] ?? '';
  if (hasControlCharacters(value)) throw new Response('Not found', { status: 404 });
  return value;
}

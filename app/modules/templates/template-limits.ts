/**
 * A response template's length limits: validation (response-templates.server.ts) and the page's
 * hints and `maxLength` read the same numbers. Kept out of the .server module, which the browser
 * build replaces with an empty one (the page said "at most undefined characters").
 */
export const TEMPLATE_TITLE_MAX = 120;
export const TEMPLATE_BODY_MAX = 4000;

/**
 * Error wording, by code. Modules return a code (and values such as `count`); a route renders it
 * with `t(\`errors:${code}\`, values)`. Codes are dotted paths: `location.required` lives at
 * `location: { required: '…' }`, and a count picks `_one`/`_other` plural forms.
 */
export const errors = {
  boundary: {
    notFound: 'Page not found',
    forbidden: 'You do not have access to this page',
    status: 'Error {{status}}',
    statewide: '<0>Go to the Commonwealth Connect statewide site</0> to find your city or town.',
    unexpected: 'Something went wrong',
    unexpectedDetail: 'Please try again in a moment. Nothing you sent was half-saved.',
    statewideLink: 'Statewide site',
  },
};

/**
 * Error wording, by code. Modules return a code (and values such as `count`); a route renders it
 * with `t(\`errors:${code}\`, values)`. Codes are dotted paths: `location.required` lives at
 * `location: { required: '…' }`, and a count picks `_one`/`_other` plural forms.
 */
export const errors = {
  rateLimit: {
    signIn_one: 'Too many sign-in attempts. Try again in a minute, or reset your password.',
    signIn_other: 'Too many sign-in attempts. Try again in {{count}} minutes, or reset your password.',
    signUp_one: 'Too many sign-ups from here. Try again in a minute.',
    signUp_other: 'Too many sign-ups from here. Try again in {{count}} minutes.',
    passwordReset_one: 'Too many reset requests. Try again in a minute.',
    passwordReset_other: 'Too many reset requests. Try again in {{count}} minutes.',
  },
  signIn: {
    mismatch: 'That email and password do not match an account.',
  },
  link: {
    verification: {
      invalid: 'This confirmation link is not valid. Check that you copied the whole link from the email.',
      expired: 'This confirmation link has expired. Sign in and ask for a new one from your account page.',
      used: 'This confirmation link has already been used. Your email is confirmed if you used it yourself.',
    },
    passwordReset: {
      invalid: 'This reset link is not valid. Check that you copied the whole link from the email.',
      expired: 'This reset link has expired. Ask for a new one below.',
      used: 'This reset link has already been used. Ask for a new one if you still need it.',
    },
    signUp: {
      invalid: 'This sign-up link is not valid. Check that you copied the whole link from the email.',
      expired: 'This sign-up link has expired. Create your account again to get a new one.',
      used: 'This sign-up link has already been used. Sign in with the email and password you chose.',
      account_exists: 'An account with this email already exists. Sign in, or reset your password if you forgot it.',
    },
  },
  invitation: {
    accountExists: 'An account with {{email}} already exists. Sign in with it to accept the invitation.',
  },
  unknownAction: 'Unknown action',
  unknownActionOnPage: 'Choose one of the actions on the page.',
  request: {
    notFound: 'There is no request {{trackingNumber}} in {{townName}}. Check the number in your confirmation email.',
  },
  follow: {
    invalidEmail: 'Enter an email address like name@example.com',
    emailRequired: 'Enter your email address to follow this request',
  },
  template: {
    notFound: 'That template no longer exists.',
  },
  category: {
    notFound: 'No such category',
  },
  boundaryFile: {
    fileRequired: 'Choose a GeoJSON file to upload.',
    fileTooLarge: 'The file is larger than {{maxMb}} MB. Simplify the boundary (about 1 m precision is plenty) and try again.',
  },
  staff: {
    notMember: 'This person has no access to this town.',
    lastAdmin: 'This person is the only administrator of {{townName}}. Make someone else an administrator first.',
    lastAdminSelf: 'You are the only administrator of {{townName}}. Make someone else an administrator first.',
    alreadyMember: {
      staff: '{{email}} already has staff access to {{townName}}; change their role in the list above.',
      admin: '{{email}} already has administrator access to {{townName}}; change their role in the list above.',
    },
    noSuchInvitation: 'No such invitation',
    choosePersonAndRole: 'Choose a person and a role',
    choosePerson: 'Choose a person',
  },
  track: {
    notFound: 'We could not find request “{{number}}”. Tracking numbers look like SOM-1042; check your confirmation email.',
  },
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

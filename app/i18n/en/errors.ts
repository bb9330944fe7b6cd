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
    invalid: 'This invitation link is not valid for {{townName}}. Check that you opened the whole link from the email, or ask an administrator for a new invitation.',
    expired: 'This invitation has expired. Ask an administrator of {{townName}} to invite you again.',
    used: 'This invitation has already been used. If that was you, sign in and open the staff console.',
    emailMismatch: 'This invitation is for {{invitedEmail}}, but you are signed in as {{signedInAs}}. Sign out, then open the link again and sign in (or create an account) with {{invitedEmail}}.',
    accountExists: 'An account with {{email}} already exists. Sign in with it to accept the invitation.',
  },
  notFound: 'Not found',
  unknownAction: 'Unknown action',
  unknownActionOnPage: 'Choose one of the actions on the page.',
  correctMarkedFields: 'Correct the marked fields.',
  page: {
    notFound: 'There is no page at {{path}}.',
  },
  request: {
    notFoundForStaff: 'There is no request {{trackingNumber}} in {{townName}}.',
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
    orQuestionNotFound: 'No such category or question',
    whichQuestion: 'Which question?',
    moveWhichWay: 'Move which way?',
    inUse_one: 'This category cannot be deleted: {{count}} request uses it. Deactivate it instead; its requests keep their history.',
    inUse_other: 'This category cannot be deleted: {{count}} requests use it. Deactivate it instead; its requests keep their history.',
  },
  department: {
    notFound: 'No such department',
    inUse: '{{name}} cannot be deleted: {{reasons}}. Give those categories another department first.',
    reasonSeparator: ', and ',
    quoted: '“{{name}}”',
    categoriesUseIt_one: 'the category {{names}} send new requests to it',
    categoriesUseIt_other: 'the categories {{names}} send new requests to it',
    requestsFiled_one: '{{count}} request is filed under it',
    requestsFiled_other: '{{count}} requests are filed under it',
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
    statewide: '<a>Go to the Commonwealth Connect statewide site</a> to find your city or town.',
    unexpected: 'Something went wrong',
    unexpectedDetail: 'Please try again in a moment. Nothing you sent was half-saved.',
    statewideLink: 'Statewide site',
  },
};

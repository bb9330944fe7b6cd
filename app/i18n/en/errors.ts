/**
 * Error wording, by code. Modules return a code (and values such as `count`); a route renders it
 * with `t(\`errors:${code}\`, values)`. Codes are dotted paths: `location.required` lives at
 * `location: { required: '…' }`, and a count picks `_one`/`_other` plural forms.
 */
export const errors = {
  /** The report form: the codes of app/modules/requests/report-errors.ts. */
  auditFilter: {
    text: { control_characters: 'Remove the invisible control characters from this field' },
    who: { too_long: 'Use at most {{max}} characters' },
    action: { too_long: 'Use at most {{max}} characters' },
    from: { invalid: 'Enter a day like 2026-12-01' },
    to: { invalid: 'Enter a day like 2026-12-31', before_from: 'The last day comes before the first: this filter was left out' },
    request: { invalid: 'Enter a tracking number like SOM-1042' },
  },
  report: {
    chooseTheLocationFirst: 'Say where the problem is first, so the report goes to the right city or town.',
    form_expired: 'This form has expired; reload the page',
    channel: {
      required: 'Say how the caller reached the town: by phone, in person or by email',
    },
    text: {
      control_characters: 'Remove the invisible control characters from this field',
    },
    category: {
      required: 'Choose what kind of problem it is',
      too_long: 'Use at most {{max}} characters',
      not_offered: '{{town}} does not take reports of that kind. Choose a category from the list.',
    },
    description: {
      required: 'Describe the problem',
      too_long: 'Use at most {{max}} characters',
    },
    latitude: {
      not_a_number: 'Latitude must be a number, like 42.3876',
      out_of_range: 'Latitude must be between {{min}} and {{max}}',
      two_numbers: 'This looks like latitude and longitude together: put only the latitude here, like 42.3876, and the longitude in its own field',
    },
    longitude: {
      not_a_number: 'Longitude must be a number, like -71.0995',
      out_of_range: 'Longitude must be between {{min}} and {{max}}',
      two_numbers: 'This looks like latitude and longitude together: put only the longitude here, like -71.0995, and the latitude in its own field',
    },
    address: {
      too_long: 'Use at most {{max}} characters',
    },
    email: {
      too_long: 'Use at most {{max}} characters',
      invalid: 'Enter an email address like name@example.com',
    },
    name: {
      too_long: 'Use at most {{max}} characters',
      needs_email: 'Give an email address too, or leave your name out: we only use it with an email',
    },
    phone: {
      too_long: 'Use at most {{max}} characters',
      invalid: 'Enter a 10-digit phone number, like 617-555-0100',
    },
    confirm_town: {
      unknown: 'Unknown town',
    },
    photos: {
      unreadable_part: 'A file could not be read: its name may hold quotes or semicolons. Rename the file and attach it again.',
      too_many: 'Attach at most {{max}} photos.',
      too_large: '“{{file}}” is larger than {{maxMegabytes}} MB. Attach a smaller photo.',
      empty: '“{{file}}”: This file is empty; choose the photo again.',
      too_many_pixels: '“{{file}}”: This image is too large (over {{maxMegapixels}} megapixels).',
      unsupported_type: '“{{file}}”: This file is not a photo we can read. Use a JPEG, PNG, WebP, or AVIF image.',
      unsupported_type_heic_readable: '“{{file}}”: This file is not a photo we can read. Use a JPEG, PNG, WebP, HEIC or AVIF image.',
      heic_unsupported: "“{{file}}”: We can't read HEIC photos yet. Set your camera to 'Most Compatible' or send a JPEG.",
      corrupt: '“{{file}}”: This photo looks damaged or incomplete; try taking it again.',
      unreadable_file: '“{{file}}” could not be read from your device. Choose it again, or choose another photo.',
    },
    location: {
      required: 'Show where the problem is: pick it on the map, use your location, type an address or landmark, or attach a photo taken there',
      half_given: 'Give both latitude and longitude, or neither',
      photo_without_location: 'The photo carries no location: pick the spot on the map, use your location, or type an address or landmark',
      outside_massachusetts: 'This spot is not in a Massachusetts city or town (it may be in the water or in another state).',
      outside_massachusetts_near: 'This spot is not in a Massachusetts city or town (it may be in the water or in another state). The nearest Massachusetts community is {{town}}, {{kilometres}} km away.',
      not_participating: 'This spot is in {{town}}, which does not use Commonwealth Connect. Please contact {{town}} directly.',
      other_town: 'This spot is in {{town}}, not {{hostTown}}: {{hostTown}} staff cannot file it. Give the caller {{town}}’s contact details, or check the location.',
      town_onboarding: 'This spot is in {{town}}, which is joining Commonwealth Connect soon and does not take reports here yet. Please contact {{town}} directly for now.',
      town_left_program: 'This spot is in {{town}}, which no longer takes reports through Commonwealth Connect. Please contact {{town}} directly.',
      town_lapsed: 'This spot is in {{town}}, whose Commonwealth Connect service has paused, so it takes no new reports here. Please contact {{town}} directly.',
    },
    answer: {
      required: 'Answer “{{label}}”',
      too_long: 'Use at most {{max}} characters',
      not_a_number: 'Enter a number',
      not_a_datetime: 'Enter a date and time',
      choose_one: 'Choose one of the options',
      choose_from: 'Choose from the options',
    },
  },
  /** The state program's town forms: the codes of app/modules/towns/onboarding-form.ts and onboarding.server.ts. */
  townOnboarding: {
    text: {
      control_characters: 'Remove the invisible control characters from this field',
      too_long: 'Use at most {{max}} characters',
    },
    municipality: {
      required: 'Choose the city or town',
      unknown: 'Choose a Massachusetts city or town from the list',
      participating: '{{name}} is already in the program',
    },
    slug: {
      required: 'Enter the web address',
      invalid: 'Use lowercase letters, digits and single hyphens, like north-andover',
      taken: '{{town}} already uses this web address',
      reserved: 'This web address belongs to the statewide site; choose another',
      other_municipality: 'This web address is the name of {{name}}; choose one that names this town',
    },
    trackingCode: {
      required: 'Enter the tracking-number code',
      invalid: 'Use 2 to 4 capital letters, like ARL',
      taken: '{{town}} already uses this code',
    },
    cohort: {
      required: 'Enter the cohort, like “2027 expansion”',
    },
    timezone: {
      invalid: 'Choose a time zone from the list',
    },
    grantStart: {
      required: 'Enter the date the grant term starts',
      invalid: 'Enter a real date, like 2027-01-15',
    },
    grantEnd: {
      required: 'Enter the date the grant term ends',
      invalid: 'Enter a real date, like 2030-01-15, or leave it empty',
      not_after_start: 'The grant term must end after it starts',
    },
    adminEmail: {
      required: "Enter the first administrator's email address",
      invalid: 'Enter an email address like name@example.com',
    },
    reason: {
      required: 'Give the reason; it goes into the audit log',
    },
    intent: {
      invalid: 'Choose one of the actions on the page',
    },
  },
  /** State staff's lifecycle actions (app/modules/towns/onboarding.server.ts). */
  serviceLapsed: "{{name}}'s service has lapsed: staff can read every request and export the CSV, but nothing can be changed until the town subscribes.",
  billing: {
    not_configured: 'Online payment is not configured on this site; ask the state program about paying by purchase order.',
    already_subscribed: 'The town already has a card subscription: use Manage billing to change it.',
    not_live: 'A town can subscribe once it is live in the program.',
    no_customer: 'The town has no billing account with Stripe yet: subscribe first.',
    stripe_unavailable: 'Stripe could not be reached. Nothing was charged; please try again in a few minutes.',
  },
  townLifecycle: {
    unknown_town: 'No participating town has this address',
    checklist_incomplete: '{{name}} cannot go live yet: finish every item on the onboarding checklist first',
    not_onboarding: '{{name}} is already live',
    already_left: '{{name}} has already left the program',
    not_left: '{{name}} is in the program',
    term_unchanged: 'These are already the grant term’s dates; nothing was changed',
  },
  /** The account forms: the codes of app/modules/accounts/account-forms.ts. */
  account: {
    text: {
      control_characters: 'Remove the invisible control characters from this field',
    },
    email: {
      required: 'Enter your email address',
      too_long: 'That email address is too long',
      invalid: 'Enter an email address like name@example.com',
    },
    displayName: {
      too_long: 'Use at most {{max}} characters',
    },
    password: {
      required: 'Choose a password',
      too_short: 'Use at least {{min}} characters',
      too_long: 'Use at most {{max}} characters',
      too_common: 'That password is too common; choose another',
      too_repetitive: 'Use a less repetitive password',
      contains_email: 'Your password must not contain your email address',
    },
    signInPassword: {
      required: 'Enter your password',
    },
    token: {
      required: 'This reset link is incomplete',
    },
  },
  categorySearch: {
    tooLong: 'Use at most {{max}} characters',
  },
  /** The public list's filters: the codes of app/modules/requests/request-list.server.ts. */
  requestList: {
    status: { invalid: 'Choose open, closed or all' },
    category: { unknown: 'Choose a category from the list' },
    from: { invalid: 'Enter the first day as a date, for example 2026-05-01' },
    to: {
      invalid: 'Enter the last day as a date, for example 2026-05-31',
      before_from: 'The last day must be on or after the first day',
    },
    q: {
      too_short: 'Type at least {{min}} letters to search for',
      too_long: 'Use at most {{max}} characters',
    },
    lat: { invalid: 'Enter the latitude as a number from -90 to 90, for example 42.3876' },
    lng: { invalid: 'Enter the longitude as a number from -180 to 180, for example -71.0995' },
    near: { incomplete: 'Enter both the latitude and the longitude, or neither' },
    page: { invalid: 'The page must be a whole number, 1 or more' },
    view: {
      invalid: 'The map view must be a box (west,south,east,north) and a zoom level from 0 to 22',
      too_large: 'Zoom in: this view holds too much of the map at once',
    },
  },
  /** The admin forms: the codes of app/modules/admin/admin-forms.ts. */
  adminForm: {
    scopes: {
      required: 'Choose what the key may do',
    },
    url: {
      invalid: 'Enter the full address of your receiver, like https://example.org/hooks',
      not_https: 'Use an https address',
      private: 'Use a public address: private, local and loopback addresses are refused',
    },
    events: {
      required: 'Choose at least one event',
    },
    text: {
      control_characters: 'Remove the invisible control characters from this field',
      too_long: 'Use at most {{max}} characters',
    },
    name: {
      required: 'Enter a name',
    },
    group: {
      required: 'Enter a group, such as “Streets & sidewalks”',
    },
    targetDays: {
      required: 'Enter a target in business days',
      not_whole: 'Enter a whole number of business days',
      out_of_range: 'The target must be between {{min}} and {{max}} business days',
    },
    ackTargetDays: {
      required: 'Enter an acknowledgement target in business days',
      not_whole: 'Enter a whole number of business days',
      out_of_range: 'The acknowledgement target must be between {{min}} and {{max}} business days',
      after_resolution: 'The acknowledgement target cannot be later than the resolution target',
    },
    day: {
      invalid: 'Enter a date, like 2026-11-27',
    },
    closureName: {
      required: 'Say why the offices are closed, such as “Day after Thanksgiving”',
    },
    departmentId: {
      invalid: 'Choose a department from the list',
    },
    programCategory: {
      required: 'Choose the program category this counts as',
    },
    keywords: {
      too_many: 'List at most {{max}} words or phrases',
      too_long: '“{{keyword}}” is too long: use at most {{max}} characters for each word or phrase',
      no_letters: '“{{keyword}}” has no letters or digits',
      repeated: '“{{keyword}}” finds the same as “{{earlier}}”',
    },
    label: {
      required: 'Enter the question',
    },
    type: {
      invalid: 'Choose what kind of answer it takes',
    },
    choices: {
      too_few: 'List at least {{min}} choices, one per line',
      too_many: 'List at most {{max}} choices',
      label_missing: 'Give the choice “{{line}}” a label after the bar',
      label_too_long: 'Keep each choice under 100 characters',
      code_invalid: 'The code “{{code}}” may use only lowercase letters, digits, dashes and underscores',
      code_duplicate: 'Two choices have the code “{{code}}”; give each choice a different label or code',
    },
    email: {
      too_long: 'That email address is too long',
    },
    departmentEmail: {
      invalid: 'Enter an email address like streets@example.gov',
    },
    profileEmail: {
      invalid: 'Enter an email address like 311@example.gov',
    },
    phone: {
      invalid: 'Enter a 10-digit phone number, like 617-555-0100',
    },
    website: {
      invalid: 'Enter the full address, starting with https://',
    },
    accentColor: {
      required: 'Enter a colour like #1a4480',
      invalid: 'Enter a colour as # and six hexadecimal digits, like #1a4480',
      low_contrast: 'White text on {{colour}} has a contrast ratio of {{ratio}}; it needs at least {{minimum}}:1. Choose a darker colour.',
    },
    role: {
      invalid: 'Choose staff or administrator',
    },
    userId: {
      invalid: 'Choose a person from the list',
    },
  },
  /** The town profile: the codes of app/modules/admin/profile.server.ts. */
  townProfile: {
    logo: {
      file_too_large: 'The logo file is larger than {{maxKilobytes}} KB; a logo rarely needs more than 200 KB.',
      empty: 'This file is empty; choose the photo again.',
      too_large: 'This photo is larger than {{maxMegabytes}} MB.',
      too_many_pixels: 'This image is too large (over {{maxMegapixels}} megapixels).',
      unsupported_type: 'This file is not a photo we can read. Use a JPEG, PNG, WebP, or AVIF image.',
      unsupported_type_heic_readable: 'This file is not a photo we can read. Use a JPEG, PNG, WebP, HEIC or AVIF image.',
      heic_unsupported: "We can't read HEIC photos yet. Set your camera to 'Most Compatible' or send a JPEG.",
      corrupt: 'This photo looks damaged or incomplete; try taking it again.',
    },
  },
  /** The staff request page: the codes of app/modules/staff/request-action-form.ts. */
  staffRequestForm: {
    intent: {
      unknown: 'Choose one of the actions on the page.',
    },
    expectedVersion: {
      invalid: 'Reload the page and try again.',
    },
    text: {
      control_characters: 'Remove the invisible control characters from this field',
    },
    to: {
      invalid: 'Choose a status.',
    },
    priority: {
      invalid: 'Choose low, normal, high or urgent.',
    },
    referredTo: {
      too_long: 'Use at most {{max}} characters.',
    },
    categoryCode: {
      required: 'Choose a category.',
    },
    latitude: {
      required: 'Enter the latitude.',
      not_a_number: 'Enter the latitude as a decimal number.',
      out_of_range: 'Enter a latitude between -{{limit}} and {{limit}}.',
    },
    longitude: {
      required: 'Enter the longitude.',
      not_a_number: 'Enter the longitude as a decimal number.',
      out_of_range: 'Enter a longitude between -{{limit}} and {{limit}}.',
    },
    address: {
      too_long: 'Use at most {{max}} characters.',
    },
  },
  /** Staff actions on requests: the codes of app/modules/staff/request-work.server.ts. */
  savedView: {
    name: {
      required: 'Name the view.',
      too_long: 'Use at most {{max}} characters.',
    },
    tooMany: 'You have {{max}} saved views; delete one first.',
    notFound: 'There is no such saved view.',
    notAllowed: 'Only the person who saved this view, or a town administrator, can delete it.',
  },
  staffWork: {
    notFound: 'There is no such request in this town.',
    stale: 'Someone else changed this request meanwhile. Reload it and try again.',
    withdrawn: 'The reporter withdrew this request; it is kept for the record only.',
    status: {
      cannot_become: 'A request that is "{{from}}" cannot become "{{to}}".',
    },
    reason: {
      required: 'Say why the request is closed without a fix.',
    },
    referredTo: {
      required: 'Say where the request was referred.',
    },
    duplicateOf: {
      required: 'Give the tracking number of the original request.',
      not_found: 'The original request was not found in this town.',
    },
    departmentId: {
      not_in_town: "Choose one of {{townName}}'s departments.",
      required: 'Choose a department or a person to assign to.',
    },
    assigneeUserId: {
      not_in_town: "Choose a member of {{townName}}'s staff.",
    },
    note: {
      required: 'Write the note.',
      too_long: 'Use at most {{max}} characters.',
    },
    message: {
      required: 'Write the reply.',
      too_long: 'Use at most {{max}} characters.',
    },
    categoryCode: {
      not_in_town: "Choose one of {{townName}}'s categories.",
      unchanged: 'It is already a {{categoryName}} request.',
    },
    location: {
      outside_massachusetts: 'That spot is not in a Massachusetts city or town.',
      not_participating: 'That spot is in {{townName}}, which does not use Commonwealth Connect.',
    },
    transfer: {
      reopen_first: 'That spot is in {{townName}}. Reopen the request before moving it there.',
      no_category: 'That spot is in {{townName}}, which takes neither {{categoryName}} nor "other" reports.',
    },
    transferNote: {
      required: 'That spot is in {{townName}}: the request will move there. Write a note for {{townName}}\'s staff (what you know, who to call), then save again.',
      too_long: 'Keep the note for the other town under {{max}} characters.',
    },
    closeStatus: {
      required: 'Choose how to close the requests.',
    },
    priority: {
      required: 'Choose a priority.',
    },
  },
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
    follow: {
      invalid: 'This link is not valid, or the request is no longer public. Check that you copied the whole link from the email.',
      expired: 'This link has expired. Ask to follow the request again from its page.',
      used: 'This link has already been used: you follow the request if you used it yourself.',
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
    outOfRange: 'There is no page {{page}}: the list has {{pages}}.',
  },
  request: {
    notFoundForStaff: 'There is no request {{trackingNumber}} in {{townName}}.',
    notFound: 'There is no request {{trackingNumber}} in {{townName}}. Check the number in your confirmation email.',
  },
  follow: {
    tooMany: 'Too many follow requests for this address. Try again in {{minutes}} minutes.',
  },
  /** A reporter acting on their request: the codes of app/modules/requests/reporter-actions.server.ts. */
  reporter: {
    notFound: 'There is no such request.',
    notReporter: 'Only the person who reported this request can do that.',
    link: {
      invalid: 'This link is not valid for {{trackingNumber}}. Check that you copied the whole link from the email.',
      expired: 'This link has expired.',
    },
    withdraw: {
      notAllowed: 'The town is already working on this request, so it can no longer be withdrawn.',
    },
    reopen: {
      notAllowed: 'This request cannot be reopened: it is not closed as fixed or not fixed.',
      tooLate: 'It is more than 30 days since the town closed this request, so it can no longer be reopened. Please report the problem again.',
    },
    comment: {
      closed: 'This request is closed. Reopen it, or report the problem again.',
    },
  },
  /** "Is it fixed?" answers: the codes of app/modules/requests/fixed-checks.server.ts. */
  fixedCheck: {
    link: {
      invalid: 'This link is not valid. Check that you copied the whole link from the email.',
      expired: 'It is more than 30 days since the town closed this request, so it can no longer be reopened from this link. Please report the problem again.',
      used: 'This link has already been used: the town has your answer.',
    },
    notClosed: 'This request is no longer closed as fixed (someone may have reopened it already), so nothing changed.',
  },
  /** The residents' forms on a request: the codes of app/modules/requests/reporter-forms.server.ts. */
  residentForm: {
    text: {
      control_characters: 'Remove the invisible control characters from this field',
    },
    comment: {
      too_long: 'Use at most {{max}} characters',
      required: 'Write a comment, attach a photo, or both',
    },
    reason: {
      too_long: 'Use at most {{max}} characters',
    },
    visibility: {
      required: 'Choose who may read it',
    },
  },
  /** Response templates: the codes of app/modules/templates/response-templates.server.ts. */
  template: {
    notFound: 'That template no longer exists.',
    text: {
      control_characters: 'Remove the invisible control characters from this field',
    },
    title: {
      required: 'Give the template a title.',
      too_long: 'Use at most {{max}} characters.',
    },
    body: {
      required: 'Write the text of the reply.',
      too_long: 'Use at most {{max}} characters.',
    },
  },
  /** Categories; nameTaken to questionAsked are the field errors of app/modules/categories/category-admin.server.ts. */
  category: {
    notFound: 'No such category',
    nameTaken: 'Another category already has this name',
    departmentNotFound: 'Choose a department from the list',
    programCategoryNotFound: 'Choose a program category from the list',
    tooManyQuestions: 'A category can have at most {{max}} questions',
    questionAsked: 'This category already asks this question',
    orQuestionNotFound: 'No such category or question',
    whichQuestion: 'Which question?',
    moveWhichWay: 'Move which way?',
    inUse_one: 'This category cannot be deleted: {{count}} request uses it. Deactivate it instead; its requests keep their history.',
    inUse_other: 'This category cannot be deleted: {{count}} requests use it. Deactivate it instead; its requests keep their history.',
  },
  /** A town's closure days (app/modules/requests/closure-days.server.ts). */
  closureDay: {
    taken: 'The offices are already marked closed on this day',
    alreadyClosed: 'This day is a weekend or a Massachusetts holiday, when the offices are closed anyway',
    notFound: 'The town has no closure on that day',
  },
  /** Departments; nameTaken is the field error of app/modules/departments/departments.server.ts. */
  department: {
    notFound: 'No such department',
    nameTaken: 'Another department already has this name',
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
    chooseReassignee: 'Choose who takes the requests: someone else on the team.',
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
  /** Purchase orders: the codes of app/modules/billing/purchase-order-form.ts and purchase-orders.server.ts. */
  purchaseOrder: {
    text: {
      control_characters: 'Remove the invisible control characters from this field',
      too_long: 'Use at most {{max}} characters',
    },
    periodStart: {
      required: 'Enter the first day the order pays for',
      invalid: 'Enter a real date, like 2027-07-01',
    },
    periodEnd: {
      required: 'Enter the first day the order no longer pays for',
      invalid: 'Enter a real date, like 2028-07-01',
      not_after_start: 'The period must end after it starts',
    },
    number: {
      required: 'Enter the purchase order number',
    },
    amount: {
      required: 'Enter the amount of the order',
      invalid: 'Enter an amount in dollars, like 4,900 or 4900.00',
      not_positive: 'The amount must be more than $0',
      too_large: 'The amount can be at most $10,000,000.00',
    },
    reason: {
      required: 'Give the reason; it goes into the audit log',
    },
    order: {
      invalid: 'Choose one of the purchase orders on the page',
    },
    intent: {
      invalid: 'Choose one of the actions on the page',
    },
    not_found: 'This is not one of {{name}}’s purchase orders',
    already_voided: 'This purchase order was already voided; nothing was changed',
  },
  apiKey: {
    notFound: 'There is no such API key',
  },
  webhook: {
    notFound: 'There is no such webhook endpoint',
  },
  /** The Open311 GeoReport v2 API (app/modules/open311, app/utils/open311.server.ts): `description` of its error documents. */
  open311: {
    not_found: 'There is no Open311 resource at this address',
    jurisdiction_required: 'Give jurisdiction_id: the slug of a participating city or town, like somerville',
    unknown_jurisdiction: 'No participating city or town has the jurisdiction_id "{{jurisdiction}}"',
    jurisdiction_mismatch: 'This is the API of {{town}}; its jurisdiction_id is {{slug}}',
    unknown_host: 'There is no Commonwealth Connect site at this address',
    invalid_parameter: 'The parameter {{parameter}} is not valid',
    unknown_service: '{{town}} offers no service with the service_code "{{code}}"',
    unknown_request: '{{town}} has no service request {{id}}',
    unknown_token: '{{town}} has no service request for the token {{token}}',
    invalid_json: 'The body is not a JSON object of parameters',
    api_key_invalid: 'The api_key is missing, wrong or revoked for {{town}}',
    not_taking_reports: '{{town}} is not taking reports through Commonwealth Connect now. Contact the town directly: {{contact}}',
    outside_jurisdiction: 'The location is in {{other}}, not {{town}}: send it with jurisdiction_id {{slug}}',
    outside_program: 'The location is not in a participating city or town: {{reason}}',
    attribute: 'attribute[{{code}}]: {{message}}',
    field: '{{field}}: {{message}}',
    duplicate: 'An open request of this kind was filed within 50 metres: {{ids}}',
    missing_parameter: 'Give the parameter {{parameter}}',
    update_statuses: 'status must be one of {{statuses}}',
    update_not_allowed: 'Request {{id}} cannot go from {{from}} to {{to}}',
    rate_limited: 'Too many requests: try again in {{count}} seconds',
  },
};

/** Subjects and bodies of the emails in app/modules/notifications; the builders escape the HTML part. */
export const emails = {
  signature: 'Commonwealth Connect',
  verification: {
    subject: 'Confirm your email for Commonwealth Connect',
    intro: 'Welcome to Commonwealth Connect. Please confirm that this is your email address.',
    link: 'Confirm my email',
    outro: 'The link works once and expires in 48 hours. If you did not sign up, ignore this email.',
  },
  passwordReset: {
    subject: 'Reset your Commonwealth Connect password',
    intro: 'Someone asked to reset the password of the Commonwealth Connect account for this email address.',
    link: 'Choose a new password',
    outro: 'The link works once and expires in 1 hour. If you did not ask for this, ignore this email; your password stays the same.',
  },
  finishSignUp: {
    subject: 'Finish creating your Commonwealth Connect account',
    intro: 'Welcome to Commonwealth Connect. Use this link to confirm your email address and finish creating your account.',
    link: 'Create my account',
    outro: 'The link works once and expires in 48 hours. If you did not sign up, ignore this email and no account will be created.',
  },
  accountExists: {
    subject: 'You already have a Commonwealth Connect account',
    intro: 'Someone (probably you) tried to create a Commonwealth Connect account with this email address, which already has one.',
    link: 'Sign in',
    outro: 'Forgot your password? Choose a new one: {{resetPassword}}. If this was not you, ignore this email; nothing has changed.',
  },
  invitation: {
    subject: 'Join {{townName}} on Commonwealth Connect',
    intro_admin: '{{invitedBy}} invited you to join {{townName}} on Commonwealth Connect as an administrator.',
    intro_staff: '{{invitedBy}} invited you to join {{townName}} on Commonwealth Connect as a staff member.',
    how: 'Open the link, then sign in with this email address ({{to}}) or create an account with it. One account works in every participating town.',
    link: 'Accept the invitation',
    outro: 'The link works once and expires in {{validDays}} days. If you did not expect this, ignore this email.',
  },
  request: {
    follow: 'Follow it here: {{url}}',
    see: 'See {{trackingNumber}}',
    stop: 'Stop emails about {{trackingNumber}}',
    received: {
      subject: 'We received your report {{trackingNumber}}',
      body: 'Thank you. {{townName}} received your report ({{categoryName}}). Your tracking number is {{trackingNumber}}.',
      manage: 'Your private link below lets you withdraw the report, add a comment or a photo, stop or restart these emails, and reopen it if the town closes it too soon, without an account. It works for {{days}} days; do not forward this email.',
      manageLink: 'Manage your report {{trackingNumber}}',
    },
    update: {
      subject: 'Update on {{trackingNumber}}: {{headline}}',
      heading: '{{townName}}, {{categoryName}}:',
    },
    newForStaff: {
      subject: 'New request {{trackingNumber}}: {{categoryName}}',
      body: 'A new {{categoryName}} request arrived in {{townName}}.',
    },
    assigned: {
      subject: 'Assigned to you: {{trackingNumber}} ({{categoryName}})',
      body: '{{trackingNumber}} in {{townName}} was assigned to you.',
    },
    staffPlace: {
      where: 'Where: {{place}}',
      map: 'See it on the map',
    },
    transferredIn: {
      subject: 'Transferred from {{fromTown}}: {{trackingNumber}} ({{categoryName}})',
      body: '{{fromTown}} moved its request {{fromTrackingNumber}} to {{townName}}: the corrected location is in {{townName}}. It is new in your queue as {{trackingNumber}} ({{categoryName}}), waiting to be acknowledged.',
      note: 'Note from {{sender}}: {{note}}',
    },
    movedToTown: '{{townName}} now handles this request as {{trackingNumber}}: {{fromTown}} corrected its location to {{place}}, which is in {{townName}}. Follow it at its new page; these emails now come from {{townName}}.',
    reopened: {
      subject: 'Reopened by a resident: {{trackingNumber}} ({{categoryName}})',
      body: 'A resident says {{trackingNumber}} in {{townName}} is not fixed, so it is back in the queue as in progress.',
      comment: 'What they wrote: {{comment}}',
      noComment: 'They left no comment.',
    },
    confirmFollow: {
      subject: 'Confirm: follow {{trackingNumber}}',
      body: 'Someone (probably you) asked to get an email whenever {{trackingNumber}} ({{categoryName}}, {{townName}}) changes.',
      outro: 'Nothing is sent to you unless you confirm. If this was not you, ignore this email. The link works once, for two days.',
      link: 'Yes, follow this request',
    },
    fixedCheck: {
      subject: 'Is {{trackingNumber}} fixed?',
      body: '{{townName}} closed {{trackingNumber}} ({{categoryName}}) as fixed a few days ago. Is it?',
      until: 'If it is not, say so by {{until}}: the request goes back into the town\'s queue.',
      yes: 'Yes, it is fixed',
      no: 'No, it is not fixed',
    },
    withdrawn: {
      subject: 'You withdrew your report {{trackingNumber}}',
      body: 'Your report {{trackingNumber}} ({{categoryName}}) to {{townName}} is withdrawn: the town stops working on it and it is no longer public.',
      reason: 'Your reason: {{reason}}',
      outro: 'If the problem is still there, report it again.',
    },
  },
  lifecycleNotice: {
    subject: {
      ending_one: '{{townName}}: the state grant for Commonwealth Connect ends tomorrow',
      ending_other: '{{townName}}: the state grant for Commonwealth Connect ends in {{count}} days',
      grace: '{{townName}}: Commonwealth Connect is in its grace period until {{stops}}',
      lapsed: '{{townName}}: Commonwealth Connect has stopped taking new reports',
    },
    body: {
      ending_one: "The state grant that pays for {{townName}}'s use of Commonwealth Connect ends on {{end}}, tomorrow. To keep the service running after it, the town can subscribe ({{price}} a year) by card or by purchase order.",
      ending_other: "The state grant that pays for {{townName}}'s use of Commonwealth Connect ends on {{end}}, in {{count}} days. To keep the service running after it, the town can subscribe ({{price}} a year) by card or by purchase order.",
      grace: "{{townName}}'s paid service ended on {{end}}. Everything keeps working until {{stops}}; after that the site stops taking new reports until the town subscribes ({{price}} a year).",
      lapsed: "{{townName}}'s grace period ended on {{stops}}, so its site no longer takes new reports. Every existing request stays public, and staff keep read access and the full CSV export; nothing is deleted. Subscribing restores everything at once.",
    },
    townLink: 'Subscribe or see the town\'s billing',
    stateLink: "See the town's billing on the state console",
  },
  webhookDisabled: {
    subject: '{{townName}}: a webhook endpoint was turned off after a day of failures',
    body: "Every delivery to {{url}} has failed since {{since}}, so Commonwealth Connect turned the endpoint off. Events are no longer queued for it. Once the receiver works again, turn the endpoint back on and redeliver what it missed from its delivery log.",
    link: "See the endpoint's delivery log",
  },
};

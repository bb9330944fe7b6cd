import i18next from 'i18next';
import { uuidv7 } from '#db/ids';
import { apiKeyForm, CATEGORY_DESCRIPTION_MAX, categoryForm, closureDayForm, PROFILE_MESSAGE_MAX, profileForm, webhookEndpointForm } from '~/modules/admin/admin-forms';
import { parseDollarsToCents, PURCHASE_ORDER_NUMBER_MAX, purchaseOrderActionForm } from '~/modules/billing/purchase-order-form';
import { parseAuditQuery } from '~/modules/audit/audit-filters';
import { reportFields } from '~/modules/requests/report-form.server';
import { DESCRIPTION_MAX } from '~/modules/requests/report-limits';
import { TEMPLATE_BODY_MAX, TEMPLATE_TITLE_MAX } from '~/modules/templates/template-limits';
import { newTownForm } from '~/modules/towns/onboarding-form';

// Every example a form's hint offers is one its validation accepts, and every limit it states is
// the one validation applies: the hint is read from the English catalogue, as the page shows it.
const t = (key: string, values?: Record<string, unknown>) => i18next.t(key, values);

/** The quoted or listed examples in a hint: "For example A or B." → ['A', 'B']. */
function examplesIn(hint: string, pattern: RegExp): string[] {
  return [...hint.matchAll(pattern)].map((m) => m[0]);
}

/** The one "at most N characters" a hint states. */
function statedMax(hint: string): number {
  const match = /at most (\d+) characters/i.exec(hint);
  if (!match) throw new Error(`no limit in: ${hint}`);
  return Number(match[1]);
}

describe('hints say what validation accepts', () => {
  it('the town phone hint offers only numbers the profile accepts (not "311")', () => {
    const hint = t('adminProfile.forExample6175550100');
    const examples = examplesIn(hint, /\d[\d\- ]*\d(?: x\d+)?/g);
    expect(examples.length).toBeGreaterThan(0);
    for (const phone of examples) expect(profileForm.shape.phone.safeParse(phone).success, phone).toBe(true);
    expect(profileForm.shape.phone.safeParse('311').success).toBe(false);
    expect(hint).not.toMatch(/\b311\b/);
  });

  it('the accent colour hint’s example is a colour the profile accepts', () => {
    const [colour] = examplesIn(t('adminProfile.andSixHexadecimalDigitsLike', { MIN_TEXT_CONTRAST: 4.5 }), /#[0-9a-f]{6}/gi);
    expect(profileForm.shape.accentColor.safeParse(colour).success).toBe(true);
  });

  it('the profile messages, category description, template and purchase order hints state the limits validation applies', () => {
    const cases: [string, number, (text: string) => boolean][] = [
      [t('adminProfile.welcomeMessageHint', { max: PROFILE_MESSAGE_MAX.welcomeMessage }), PROFILE_MESSAGE_MAX.welcomeMessage, (v) => profileForm.shape.welcomeMessage.safeParse(v).success],
      [t('adminProfile.aShortNoticeAtThe', { max: PROFILE_MESSAGE_MAX.bannerMessage }), PROFILE_MESSAGE_MAX.bannerMessage, (v) => profileForm.shape.bannerMessage.safeParse(v).success],
      [t('adminCategoriesCode.shownToResidentsUnderThe', { max: CATEGORY_DESCRIPTION_MAX }), CATEGORY_DESCRIPTION_MAX, (v) => categoryForm.innerType().shape.description.safeParse(v).success],
      [t('staffTemplates.whatStaffPickFromThe', { TEMPLATE_TITLE_MAX }), TEMPLATE_TITLE_MAX, () => true],
      [t('staffTemplates.shownToResidentsAsWritten', { TEMPLATE_BODY_MAX }), TEMPLATE_BODY_MAX, () => true],
      [t('stateTownBilling.orderNumberHint', { max: PURCHASE_ORDER_NUMBER_MAX }), PURCHASE_ORDER_NUMBER_MAX, () => true],
    ];
    for (const [hint, limit, accepts] of cases) {
      expect(statedMax(hint), hint).toBe(limit);
      expect(accepts('a'.repeat(limit)), hint).toBe(true);
    }
    expect(profileForm.shape.welcomeMessage.safeParse('a'.repeat(PROFILE_MESSAGE_MAX.welcomeMessage + 1)).success).toBe(false);
    expect(profileForm.shape.bannerMessage.safeParse('a'.repeat(PROFILE_MESSAGE_MAX.bannerMessage + 1)).success).toBe(false);
    expect(categoryForm.innerType().shape.description.safeParse('a'.repeat(CATEGORY_DESCRIPTION_MAX + 1)).success).toBe(false);
  });

  it('the purchase order hints’ amounts and days are accepted', () => {
    for (const amount of examplesIn(t('stateTownBilling.amountHint'), /\d[\d,.]*\d/g)) expect(parseDollarsToCents(amount), amount).toBeGreaterThan(0);
    const [start] = examplesIn(t('stateTownBilling.periodStartHint'), /\d{4}-\d{2}-\d{2}/g);
    const [end] = examplesIn(t('stateTownBilling.periodEndHint'), /\d{4}-\d{2}-\d{2}/g);
    const recorded = purchaseOrderActionForm.safeParse({ intent: 'record_purchase_order', periodStart: start, periodEnd: end, number: 'PO-1', amount: '4,900' });
    expect(recorded.success).toBe(true);
  });

  it('the new town hints’ date and tracking code are accepted', () => {
    const [day] = examplesIn(t('stateTownsNew.dateHint'), /\d{4}-\d{2}-\d{2}/g);
    expect(newTownForm.innerType().shape.grantStart.safeParse(day).success).toBe(true);
    const [trackingNumber] = examplesIn(t('stateTownsNew.trackingCodeHint'), /[A-Z]{2,4}-\d+/g);
    expect(newTownForm.innerType().shape.trackingCode.safeParse(trackingNumber!.split('-')[0]).success).toBe(true);
  });

  it('the closure day hints’ examples are accepted', () => {
    const [day] = examplesIn(t('adminClosures.dayHint'), /\d{4}-\d{2}-\d{2}/g);
    const [name] = examplesIn(t('adminClosures.reasonHint'), /(?<=“)[^”]+(?=”)/g);
    expect(closureDayForm.safeParse({ day, name }).success).toBe(true);
  });

  it('the report-for-a-caller hints’ contact, coordinates, address and length are what the report core accepts', () => {
    const report = (fields: Record<string, string>) => reportFields.safeParse({ idempotencyKey: uuidv7(), category: 'pothole', description: 'A hole', ...fields });
    const phones = examplesIn(t('staffNew.callerPhoneHint'), /\(?\d{3}\)?[\d\- ]*\d(?: x\d+)?/g);
    expect(phones.length).toBe(2);
    for (const phone of phones) expect(report({ phone }).success, phone).toBe(true);
    const [email] = examplesIn(t('staffNew.callerEmailHint'), /\S+@\S+/g);
    expect(report({ email: email! }).success).toBe(true);
    const [lat] = examplesIn(t('staffNew.latitudeHint'), /-?\d+\.\d+/g);
    const [lng] = examplesIn(t('staffNew.longitudeHint'), /-?\d+\.\d+/g);
    const located = report({ lat: lat!, lng: lng! });
    expect(located.success && located.data.lat === Number(lat) && located.data.lng === Number(lng)).toBe(true);
    expect(report({ address: t('staffNew.addressHint').replace(/^For example\s*/, '') }).success).toBe(true);
    expect(statedMax(t('staffNew.descriptionHint', { max: DESCRIPTION_MAX }))).toBe(DESCRIPTION_MAX);
    expect(report({ description: 'a'.repeat(DESCRIPTION_MAX) }).success).toBe(true);
    expect(report({ description: 'a'.repeat(DESCRIPTION_MAX + 1) }).success).toBe(false);
  });

  it('the audit log’s request hint is a tracking number its filter accepts', () => {
    const [trackingNumber] = examplesIn(t('auditLog.requestHint'), /[A-Z]{2,4}-\d+/g);
    expect(parseAuditQuery(new URLSearchParams({ request: trackingNumber! })).filters.request).toBe(trackingNumber);
  });

  it('the API key, webhook and address hints’ examples are accepted', () => {
    const [name] = examplesIn(t('adminApiKeys.nameHint'), /(?<=“)[^”]+(?=”)/g);
    expect(apiKeyForm.shape.name.safeParse(name).success).toBe(true);
    const [url] = examplesIn(t('adminWebhooks.urlHint'), /https:\/\/\S+/g);
    expect(webhookEndpointForm(false).shape.url.safeParse(url).success).toBe(true);
    const address = t('report.entry.addressHint').replace(/^For example:\s*/, '');
    expect(reportFields.shape.address.safeParse(address).success).toBe(true);
  });
});

import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useState, type ReactNode } from 'react';
import { isStaffIntakeChannel, REQUEST_PRIORITIES, REQUEST_STATUSES, type RequestStatus } from '#db/vocabulary';
import { FormAlert, SelectField, SuccessAlert, TextAreaField, TextField } from '~/components/form-field';
import { LocationMapEnhancement, mapStylesheets } from '~/components/location-map';
import { EventPhotos, RequestPhotos } from '~/components/request-photos';
import { PriorityLabel } from '~/components/priority-label';
import { StatusTag } from '~/components/status-tag';
import { TownTime } from '~/components/town-time';
import { listCategories } from '~/modules/categories/categories.server';
import { listDepartments } from '~/modules/departments/departments.server';
import { canTransition, closingRequirement } from '~/modules/requests/statuses';
import {
  acknowledge,
  addInternalNote,
  assign,
  changeStatus,
  correctLocation,
  getStaffRequest,
  postReply,
  recategorise,
  setPriority,
  type SeenRequest,
  type WorkResult,
} from '~/modules/staff/request-work.server';
import { queueReturnPath, queueViewQuery } from '~/modules/staff/queue.server';
import { listTownStaff } from '~/modules/staff/team.server';
import { listTemplates } from '~/modules/templates/response-templates.server';
import { pathParam, searchParamsOf } from '~/utils/control-characters';
import { fieldErrorCodesOf, type FieldErrors } from '~/utils/field-errors';
import { wordFieldErrors } from '~/i18n/field-errors';
import { staffRequestActionForm, type StaffRequestIntent } from '~/modules/staff/request-action-form';
import { getEnv } from '~/utils/env.server';
import { readUploadForm, type UploadFormLimits } from '~/utils/multipart.server';
import { processPhotos } from '~/modules/requests/validate-report.server';
import { PHOTO_LIMITS } from '~/modules/requests/report-limits';
import { PhotoFileInput } from '~/components/photo-file-input';
import { staffWorkOpen } from '~/modules/towns/town-lifecycle.server';
import { requireTownRole } from '~/utils/permissions.server';
import { siteOrigin, townLinks } from '~/utils/town.server';
import { STAFF_LOCATION_ANCHOR } from '~/modules/notifications/staff-location';
import { useTranslation } from 'react-i18next';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const links: LinksFunction = () => mapStylesheets();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  { title: data ? metaT(matches)('staffRequestsTrackingNumber.pageTitle', { trackingNumber: data.request.trackingNumber, categoryName: data.request.category.name, townName: data.town.name }) : metaT(matches)('staffRequestsTrackingNumber.notFoundTitle') },
];

const trackingNumberOf = (params: LoaderFunctionArgs['params']) => pathParam(params, 'trackingNumber').toUpperCase();

export async function loader(args: LoaderFunctionArgs) {
  const { request, params } = args;
  const trackingNumber = trackingNumberOf(params);
  const staff = await requireTownRole(args, 'staff');
  const { town } = staff;
  const found = await getStaffRequest(staff, trackingNumber);
  if (!found) throw new Response((await requestT(request))('errors:request.notFoundForStaff', { trackingNumber, townName: town.name }), { status: 404 });
  const [templates, departments, team, categories] = await Promise.all([listTemplates(staff), listDepartments(staff), listTownStaff(staff), listCategories(town.id)]);
  const search = searchParamsOf(request);
  // Without JavaScript, "Use template" reloads the page with the template's text in the reply box.
  const chosenTemplate = templates.find((t) => t.id === search.get('template')) ?? null;
  return json({
    town: { name: town.name, timezone: town.timezone },
    request: found,
    statusOptions: REQUEST_STATUSES.filter((s) => canTransition(found.status, s, 'staff')),
    templates,
    chosenTemplateId: chosenTemplate?.id ?? null,
    replyDraft: chosenTemplate?.body ?? '',
    departments: departments.map((d) => ({ id: d.id, name: d.name })),
    staff: team.map((s) => ({ id: s.id, name: s.displayName ? `${s.displayName} (${s.email})` : s.email })),
    categories: categories.map((c) => ({ code: c.code, name: c.name })),
    done: search.get('done'),
    // The request's page in the town it moved to (staff here cannot open that town's console).
    transferredToUrl: found.transferredTo ? `${siteOrigin(found.transferredTo.townSlug)}/requests/${found.transferredTo.trackingNumber}` : null,
    /** The queue view the staff member came from (filters, sort, page), and its `back` parameter for this page's own links. */
    queueHref: queueReturnPath(search.get('back')),
    back: search.get('back'),
    mapboxToken: getEnv().MAPBOX_TOKEN ?? null,
  });
}


/** Completion photos on a status change: as many, and as large, as a resident's report may carry. */
const COMPLETION_PHOTO_LIMITS: UploadFormLimits = { fileField: 'photos', maxFileBytes: PHOTO_LIMITS.maxBytes, maxFiles: PHOTO_LIMITS.maxPhotosPerReport };

type ActionData = { intent: string; fieldErrors: FieldErrors; formError: string | null; values: Record<string, string> };

const FAILURE_STATUS = { not_found: 404, stale: 409, not_allowed: 422, invalid: 422 } as const;

export async function action(args: ActionFunctionArgs) {
  const { request, params } = args;
  const trackingNumber = trackingNumberOf(params);
  const staff = await requireTownRole(args, 'staff');
  if (!staffWorkOpen(staff.town)) throw new Response((await requestT(request))('errors:serviceLapsed', { name: staff.town.name }), { status: 403 });
  // Multipart when the status form carries completion photos; every other form posts urlencoded.
  const upload = await readUploadForm(request, COMPLETION_PHOTO_LIMITS);
  const values = Object.fromEntries(upload.fields);
  const reply = (status: number, data: Omit<ActionData, 'values' | 'intent'>) => json<ActionData>({ intent: values.intent ?? '', values, ...data }, { status });
  const parsed = staffRequestActionForm.safeParse(values);
  if (!parsed.success) {
    const t = await requestT(request);
    const fieldErrors = wordFieldErrors(t, fieldErrorCodesOf(parsed.error.issues));
    return reply(fieldErrors.intent ? 400 : 422, { fieldErrors, formError: t(fieldErrors.intent ? 'errors:unknownActionOnPage' : 'errors:correctMarkedFields') });
  }
  const form = parsed.data;
  const seen: SeenRequest = { trackingNumber, expectedVersion: form.expectedVersion };
  const links = townLinks(staff.town.slug);
  let result: WorkResult;
  switch (form.intent) {
    case 'acknowledge':
      result = await acknowledge(staff, seen, links);
      break;
    case 'status': {
      // The photos go through the residents' pipeline first: a refused one changes nothing.
      const photos = await processPhotos(upload, COMPLETION_PHOTO_LIMITS.maxFiles);
      if (!photos.ok) {
        const t = await requestT(request);
        const fieldErrors = wordFieldErrors(t, { photos: photos.error }, 'report');
        return reply(photos.tooLarge ? 413 : 422, { fieldErrors, formError: t('errors:correctMarkedFields') });
      }
      result = await changeStatus(staff, seen, { to: form.to, reason: form.reason, duplicateOf: form.duplicateOf, referredTo: form.referredTo, photos: photos.photos }, links);
      break;
    }
    case 'assign':
      result = await assign(staff, seen, { departmentId: form.departmentId, assigneeUserId: form.assigneeUserId }, links);
      break;
    case 'note':
      result = await addInternalNote(staff, seen, form.note);
      break;
    case 'reply':
      result = await postReply(staff, seen, form.message, links);
      break;
    case 'recategorise':
      result = await recategorise(staff, seen, form.categoryCode);
      break;
    case 'priority':
      result = await setPriority(staff, seen, form.priority);
      break;
    case 'relocate':
      result = await correctLocation(staff, seen, { lat: form.lat, lng: form.lng, address: form.address ?? null }, (slug) => townLinks(slug), form.transferNote ?? null);
      break;
  }
  if (!result.ok) {
    const t = await requestT(request);
    const formError = t(`errors:${result.error.code}`, result.error.values);
    return reply(FAILURE_STATUS[result.reason], { fieldErrors: result.field ? { [result.field]: formError } : {}, formError });
  }
  const done = new URLSearchParams({ done: result.transferredTo ? 'transferred' : form.intent });
  // Still on the way back to the same queue view.
  const back = new URL(request.url).searchParams.get('back');
  if (back !== null) done.set('back', queueViewQuery(back));
  return redirect(`/staff/requests/${trackingNumber}?${done}`);
}

// What ?done= may name; the words are the catalogue's staffRequestsTrackingNumber.done.*.
const DONE: readonly (StaffRequestIntent | 'transferred')[] = ['acknowledge', 'status', 'assign', 'priority', 'note', 'reply', 'recategorise', 'relocate', 'transferred'];

export default function StaffRequestPage() {
  const { t } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { town, request } = data;
  const errorsFor = (intent: StaffRequestIntent) => (actionData?.intent === intent ? actionData : null);
  const point = { lat: request.lat, lng: request.lng };
  const canAcknowledge = data.statusOptions.includes('acknowledged') && request.status === 'submitted';
  return (
    <>
      <p>
        <Link to={data.queueHref}>{t('staffRequestsTrackingNumber.backToTheQueue')}</Link>
      </p>
      <h2>
        {request.trackingNumber}: {request.category.name}
      </h2>
      <p>
        <StatusTag status={request.status} /> <PriorityLabel priority={request.priority} withName /> {request.overdue ? <span className="usa-tag bg-secondary-dark">{t('staffRequestsTrackingNumber.overdue')}</span> : null}{' '}
        {request.withdrawn ? null : <Link to={`/requests/${request.trackingNumber}`}>{t('staffRequestsTrackingNumber.publicPage')}</Link>}
      </p>
      {request.withdrawn ? (
        <div className="usa-alert usa-alert--warning usa-alert--slim">
          <div className="usa-alert__body">
            <p className="usa-alert__text">{t('staffRequestsTrackingNumber.theReporterWithdrewThisRequest')}</p>
          </div>
        </div>
      ) : null}
      <SuccessAlert message={data.done && DONE.includes(data.done as StaffRequestIntent) ? t(`staffRequestsTrackingNumber.done.${data.done}`) : null} />
      {actionData?.fieldErrors.intent ? <FormAlert message={actionData.formError} /> : null}

      <dl className="grid-row grid-gap">
        <Fact term="Reported">
          <TownTime value={request.createdAt} timeZone={town.timezone} />
        </Fact>
        <Fact term="Due">
          {request.dueAt ? <TownTime value={request.dueAt} timeZone={town.timezone} /> : t('staffRequestsTrackingNumber.noTarget')}
          {request.overdue ? t('staffRequestsTrackingNumber.overdueSuffix') : ''}
        </Fact>
        <Fact term="Acknowledged">
          {request.acknowledgedAt ? <TownTime value={request.acknowledgedAt} timeZone={town.timezone} /> : t('staffRequestsTrackingNumber.notYet')}
          {!request.acknowledgedAt && request.ackDueAt ? (
            <>
              {' '}
              <TransText t={t} i18nKey="staffRequestsTrackingNumber.ackDueBy" components={{ time: <TownTime value={request.ackDueAt} timeZone={town.timezone} /> }} />
            </>
          ) : null}
        </Fact>
        {request.closedAt ? (
          <Fact term="Closed">
            <TownTime value={request.closedAt} timeZone={town.timezone} />
          </Fact>
        ) : null}
        {request.statusReason ? <Fact term="Reason">{request.statusReason}</Fact> : null}
        {request.referredTo ? <Fact term="Referred to">{request.referredTo}</Fact> : null}
        {request.duplicateOfTrackingNumber ? (
          <Fact term="Duplicate of">
            <Link to={`/staff/requests/${request.duplicateOfTrackingNumber}`}>{request.duplicateOfTrackingNumber}</Link>
          </Fact>
        ) : null}
        <Fact term="Department">{request.department?.name ?? t('staffRequestsTrackingNumber.none')}</Fact>
        <Fact term="Assignee">
          {request.assignee
            ? request.assignee.former
              ? t('staffRequestsTrackingNumber.formerStaff', { name: request.assignee.name ?? request.assignee.email })
              : (request.assignee.name ?? request.assignee.email)
            : t('staffRequestsTrackingNumber.nobody')}
        </Fact>
        {request.transferredFrom ? <Fact term={t('staffRequestsTrackingNumber.transferredFrom')}>{t('staffRequestsTrackingNumber.transferredFromValue', request.transferredFrom)}</Fact> : null}
        {request.transferredTo && data.transferredToUrl ? (
          <Fact term={t('staffRequestsTrackingNumber.transferredTo')}>
            <a className="usa-link" href={data.transferredToUrl}>{t('staffRequestsTrackingNumber.transferredToValue', request.transferredTo)}</a>
          </Fact>
        ) : null}
        <Fact term="Reporter">
          {[request.reporter.name, request.reporter.email, request.reporter.phone].filter(Boolean).join(', ') || t('staffRequestsTrackingNumber.anonymous')}
          {request.reporter.userId ? t('staffRequestsTrackingNumber.signedIn') : ''}
        </Fact>
        <Fact term="Followers">{request.followerCount}</Fact>
        <Fact term={t('staffRequestsTrackingNumber.channel')}>{t(`requestChannel.${request.channel}`)}</Fact>
      </dl>

      <h3>{t('staffRequestsTrackingNumber.whatWasReported')}</h3>
      <p style={{ whiteSpace: 'pre-wrap' }}>{request.description}</p>
      {request.answers.length > 0 ? (
        <table className="usa-table usa-table--borderless">
          <caption>{t('staffRequestsTrackingNumber.answersToTheCategoryS')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('staffRequestsTrackingNumber.question')}</th>
              <th scope="col">{t('staffRequestsTrackingNumber.answer')}</th>
              <th scope="col">{t('staffRequestsTrackingNumber.shownToThePublic')}</th>
            </tr>
          </thead>
          <tbody>
            {request.answers.map((a) => (
              <tr key={a.code}>
                <th scope="row">{a.label}</th>
                <td>{a.value}</td>
                <td>{a.public ? t('staffRequestsTrackingNumber.yes') : t('staffRequestsTrackingNumber.noStaffOnly')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <RequestPhotos photos={request.photos} />
      {request.mediaUrl ? (
        <p>
          <a href={request.mediaUrl} className="usa-link" rel="noopener noreferrer nofollow">
            {t('staffRequestsTrackingNumber.mediaLink')}
          </a>
        </p>
      ) : null}

      <h3 id={STAFF_LOCATION_ANCHOR}>{t('staffRequestsTrackingNumber.where')}</h3>
      <p>
        {request.address ? `${request.address} · ` : ''}
        {request.lat.toFixed(5)}, {request.lng.toFixed(5)}
        {request.locationApproximate ? t('staffRequestsTrackingNumber.givenAsAnAddressOnly') : ''}
      </p>

      <h3>{t('staffRequestsTrackingNumber.timeline')}</h3>
      <ol className="cc-timeline">
        {request.timeline.map((event) => (
          <li key={event.id}>
            <strong>{event.kind === 'status_changed' && event.toStatus ? t(`requestStatus.${event.toStatus}`) : t(`staffRequestsTrackingNumber.event.${event.kind}`, { defaultValue: event.kind })}</strong>{' '}
            {event.public ? null : <span className="usa-tag">{t('staffRequestsTrackingNumber.staffOnly')}</span>}
            {' · '}
            <TownTime value={event.createdAt} timeZone={town.timezone} />
            {event.actor ? ` · ${event.actor.name ?? event.actor.email}` : ''}
            {event.kind === 'submitted' && isStaffIntakeChannel(request.channel) ? <p>{t(`requestsTrackingNumber.filedForCaller.${request.channel}`)}</p> : null}
            {event.message ? <p style={{ whiteSpace: 'pre-wrap' }}>{event.message}</p> : null}
            <EventPhotos event={event} />
          </li>
        ))}
      </ol>

      <h3>{t('staffRequestsTrackingNumber.workOnThisRequest')}</h3>
      {canAcknowledge ? (
        <Form method="post" className="margin-bottom-3">
          <VersionField version={request.version} />
          <button className="usa-button" type="submit" name="intent" value="acknowledge">{t('staffRequestsTrackingNumber.acknowledge')}</button>
          <FormAlert message={errorsFor('acknowledge')?.formError} />
        </Form>
      ) : null}

      {request.withdrawn ? null : (
        <>
          <ReplySection key={data.chosenTemplateId ?? 'blank'} errors={errorsFor('reply')} />
          {data.statusOptions.length > 0 ? <StatusForm options={data.statusOptions} version={request.version} errors={errorsFor('status')} /> : null}
          <AssignForm errors={errorsFor('assign')} />
          <PriorityForm errors={errorsFor('priority')} />
          <RecategoriseForm errors={errorsFor('recategorise')} />
          <RelocateForm errors={errorsFor('relocate')} mapboxToken={data.mapboxToken} point={point} />
        </>
      )}
      <NoteForm errors={errorsFor('note')} version={request.version} />
    </>
  );
}

type FormErrors = ActionData | null;

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="mobile-lg:grid-col-6 tablet:grid-col-4">
      <dt className="text-bold">{term}</dt>
      <dd className="margin-left-0 margin-bottom-1">{children}</dd>
    </div>
  );
}

/** The version the page was showing: an action on an older one is refused as stale. */
function VersionField({ version }: { version: number }) {
  return <input type="hidden" name="expectedVersion" value={version} />;
}


/** Failures that belong to no single field (stale version, a refused transition). */
function FormProblem({ errors }: { errors: FormErrors }) {
  if (!errors?.formError || Object.keys(errors.fieldErrors).length > 0) return null;
  return <FormAlert message={errors.formError} />;
}

function ReplySection({ errors }: { errors: FormErrors }) {
  const { t } = useTranslation();
  const { request, templates, chosenTemplateId, replyDraft, back } = useLoaderData<typeof loader>();
  const [message, setMessage] = useState(errors?.values.message ?? replyDraft);
  return (
    <section aria-labelledby="reply-heading" className="margin-bottom-4">
      <h4 id="reply-heading">{t('staffRequestsTrackingNumber.replyToTheResident')}</h4>
      {templates.length > 0 ? (
        // A GET form, so choosing a template works without JavaScript; with it, the choice fills the reply at once.
        <Form method="get" className="usa-form maxw-none">
          {back !== null ? <input type="hidden" name="back" value={back} /> : null}
          <label className="usa-label" htmlFor="template">{t('staffRequestsTrackingNumber.startFromAResponseTemplate')}</label>
          <div className="display-flex flex-align-end">
            <select
              className="usa-select"
              id="template"
              name="template"
              defaultValue={chosenTemplateId ?? ''}
              onChange={(e) => {
                const chosen = templates.find((template) => template.id === e.target.value);
                if (chosen) setMessage(chosen.body);
              }}
            >
              <option value="">{t('staffRequestsTrackingNumber.chooseATemplate')}</option>
              {templates.map((template) => (
                <option key={template.id} value={template.id}>
                  {template.title}
                </option>
              ))}
            </select>
            <button className="usa-button usa-button--outline margin-left-1" type="submit">{t('staffRequestsTrackingNumber.useTemplate')}</button>
          </div>
        </Form>
      ) : (
        <p><TransText t={t} i18nKey="staffRequestsTrackingNumber.writeResponseTemplatesForReplies" components={{ a: <Link to="/staff/templates" /> }} /></p>
      )}
      <Form method="post" className="usa-form maxw-none">
        <VersionField version={request.version} />
        <TextAreaField
          label={t('staffRequestsTrackingNumber.publicReply')}
          name="message"
          hint={t('staffRequestsTrackingNumber.shownOnThePublicRequest')}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          error={errors?.fieldErrors.message}
          rows={6}
        />
        <FormProblem errors={errors} />
        <button className="usa-button" type="submit" name="intent" value="reply">{t('staffRequestsTrackingNumber.postReply')}</button>
      </Form>
    </section>
  );
}

function StatusForm({ options, version, errors }: { options: RequestStatus[]; version: number; errors: FormErrors }) {
  const { t } = useTranslation();
  const { templates, chosenTemplateId, replyDraft } = useLoaderData<typeof loader>();
  const [to, setTo] = useState<string>(errors?.values.to ?? options[0]!);
  // A template chosen above ("Use template", no JavaScript needed) also fills the closing note.
  const [reason, setReason] = useState(errors?.values.reason ?? (chosenTemplateId ? replyDraft : ''));
  const need = closingRequirement(to as RequestStatus);
  return (
    <section aria-labelledby="status-heading" className="margin-bottom-4">
      <h4 id="status-heading">{t('staffRequestsTrackingNumber.changeTheStatusOrClose')}</h4>
      <Form method="post" encType="multipart/form-data" className="usa-form maxw-none">
        <VersionField version={version} />
        <SelectField label={t('staffRequestsTrackingNumber.newStatus')} name="to" value={to} onChange={(e) => setTo(e.target.value)} error={errors?.fieldErrors.to} options={options.map((s) => ({ value: s, label: t(`requestStatus.${s}`) }))} />
        {templates.length > 0 ? (
          <SelectField
            label={t('staffRequestsTrackingNumber.closingNoteFromATemplate')}
            name="closingTemplate"
            defaultValue=""
            onChange={(e) => {
              const chosen = templates.find((template) => template.id === e.target.value);
              if (chosen) setReason(chosen.body);
            }}
            options={[{ value: '', label: t('staffRequestsTrackingNumber.chooseATemplate') }, ...templates.map((template) => ({ value: template.id, label: template.title }))]}
          />
        ) : null}
        <TextAreaField
          label={need === 'reason' ? t('staffRequestsTrackingNumber.reasonRequiredShownToThe') : t('staffRequestsTrackingNumber.reasonOrClosingNoteShown')}
          name="reason"
          hint={t('staffRequestsTrackingNumber.requiredWhenClosingAsNot')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={errors?.fieldErrors.reason}
          rows={3}
        />
        <TextField
          label={t('staffRequestsTrackingNumber.trackingNumberOfTheOriginal')}
          name="duplicateOf"
          hint={t('staffRequestsTrackingNumber.requiredWhenClosingAsA')}
          defaultValue={errors?.values.duplicateOf}
          error={errors?.fieldErrors.duplicateOf}
        />
        <TextField label={t('staffRequestsTrackingNumber.referredTo')} name="referredTo" hint={t('staffRequestsTrackingNumber.requiredWhenReferringWhoHandles')} defaultValue={errors?.values.referredTo} error={errors?.fieldErrors.referredTo} />
        <PhotoFileInput id="completion-photos" label={t('staffRequestsTrackingNumber.completionPhotos')} max={PHOTO_LIMITS.maxPhotosPerReport} error={errors?.fieldErrors.photos} />
        <FormProblem errors={errors} />
        <button className="usa-button" type="submit" name="intent" value="status">{t('staffRequestsTrackingNumber.changeStatus')}</button>
      </Form>
    </section>
  );
}

function AssignForm({ errors }: { errors: FormErrors }) {
  const { t } = useTranslation();
  const { request, departments, staff } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="assign-heading" className="margin-bottom-4">
      <h4 id="assign-heading">{t('staffRequestsTrackingNumber.assign')}</h4>
      <Form method="post" className="usa-form maxw-none">
        <VersionField version={request.version} />
        <SelectField
          label={t('staffRequestsTrackingNumber.department')}
          name="departmentId"
          defaultValue={errors?.values.departmentId ?? request.department?.id ?? ''}
          error={errors?.fieldErrors.departmentId}
          options={[{ value: '', label: t('staffRequestsTrackingNumber.noDepartment') }, ...departments.map((d) => ({ value: d.id, label: d.name }))]}
        />
        <SelectField
          label={t('staffRequestsTrackingNumber.staffMember')}
          name="assigneeUserId"
          defaultValue={errors?.values.assigneeUserId ?? request.assignee?.userId ?? ''}
          error={errors?.fieldErrors.assigneeUserId}
          options={[{ value: '', label: t('staffRequestsTrackingNumber.nobody') }, ...staff.map((s) => ({ value: s.id, label: s.name }))]}
        />
        <FormProblem errors={errors} />
        <button className="usa-button" type="submit" name="intent" value="assign">{t('staffRequestsTrackingNumber.saveAssignment')}</button>
      </Form>
    </section>
  );
}

/** How urgent the request is: shown at the top of this page, which is also what the crew opens. */
function PriorityForm({ errors }: { errors: FormErrors }) {
  const { t } = useTranslation();
  const { request } = useLoaderData<typeof loader>();
  return (
    <ChooseOneForm
      intent="priority"
      heading={t('staffRequestsTrackingNumber.priority')}
      label={t('staffRequestsTrackingNumber.priority')}
      value={errors?.values.priority ?? request.priority}
      options={REQUEST_PRIORITIES.map((p) => ({ value: p, label: t(`requestPriority.${p}`) }))}
      button={t('staffRequestsTrackingNumber.savePriority')}
      errors={errors}
    />
  );
}

function RecategoriseForm({ errors }: { errors: FormErrors }) {
  const { t } = useTranslation();
  const { request, categories } = useLoaderData<typeof loader>();
  return (
    <ChooseOneForm
      intent="recategorise"
      field="categoryCode"
      heading={t('staffRequestsTrackingNumber.changeTheCategory')}
      label={t('staffRequestsTrackingNumber.category')}
      value={errors?.values.categoryCode ?? request.category.code}
      options={categories.map((c) => ({ value: c.code, label: c.name }))}
      button={t('staffRequestsTrackingNumber.changeCategory')}
      errors={errors}
    />
  );
}

/** A section whose form chooses one value (the priority, the category) at the request's version. */
function ChooseOneForm(props: { intent: 'priority' | 'recategorise'; field?: string; heading: string; label: string; value: string; options: { value: string; label: string }[]; button: string; errors: FormErrors }) {
  const { request } = useLoaderData<typeof loader>();
  const { intent, field = intent, errors } = props;
  return (
    <section aria-labelledby={`${intent}-heading`} className="margin-bottom-4">
      <h4 id={`${intent}-heading`}>{props.heading}</h4>
      <Form method="post" className="usa-form maxw-none">
        <VersionField version={request.version} />
        <SelectField label={props.label} name={field} defaultValue={props.value} error={errors?.fieldErrors[field]} options={props.options} />
        <FormProblem errors={errors} />
        <button className="usa-button" type="submit" name="intent" value={intent}>
          {props.button}
        </button>
      </Form>
    </section>
  );
}

function RelocateForm({ errors, mapboxToken, point }: { errors: FormErrors; mapboxToken: string | null; point: { lat: number; lng: number } }) {
  const { t } = useTranslation();
  const { request } = useLoaderData<typeof loader>();
  const [lat, setLat] = useState(errors?.values.lat ?? point.lat.toFixed(6));
  const [lng, setLng] = useState(errors?.values.lng ?? point.lng.toFixed(6));
  const pin = Number.isFinite(Number(lat)) && Number.isFinite(Number(lng)) ? { lat: Number(lat), lng: Number(lng) } : point;
  return (
    <section aria-labelledby="location-heading" className="margin-bottom-4">
      <h4 id="location-heading">{t('staffRequestsTrackingNumber.correctTheLocation')}</h4>
      <p>{t('staffRequestsTrackingNumber.ifTheCorrectedSpotIs')}</p>
      <LocationMapEnhancement
        center={point}
        zoom={16}
        pin={pin}
        onPick={(p) => {
          setLat(p.lat.toFixed(6));
          setLng(p.lng.toFixed(6));
        }}
        mapboxToken={mapboxToken}
        boundariesUrl="/geo/towns.geojson"
        label={t('staffRequestsTrackingNumber.mapChooseTheCorrectedLocation')}
      />
      <Form method="post" className="usa-form maxw-none">
        <VersionField version={request.version} />
        {errors?.fieldErrors.location ? <FormAlert message={errors.fieldErrors.location} /> : null}
        <div className="grid-row grid-gap">
          <div className="tablet:grid-col-6">
            <TextField label={t('staffRequestsTrackingNumber.latitude')} name="lat" inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} error={errors?.fieldErrors.lat} />
          </div>
          <div className="tablet:grid-col-6">
            <TextField label={t('staffRequestsTrackingNumber.longitude')} name="lng" inputMode="decimal" value={lng} onChange={(e) => setLng(e.target.value)} error={errors?.fieldErrors.lng} />
          </div>
        </div>
        <TextField label={t('staffRequestsTrackingNumber.addressOptional')} name="address" autoComplete="off" defaultValue={errors?.values.address ?? request.address ?? ''} error={errors?.fieldErrors.address} />
        <TextAreaField
          label={t('staffRequestsTrackingNumber.transferNote')}
          name="transferNote"
          hint={t('staffRequestsTrackingNumber.transferNoteHint')}
          defaultValue={errors?.values.transferNote}
          error={errors?.fieldErrors.transferNote}
          rows={3}
        />
        <FormProblem errors={errors} />
        <button className="usa-button" type="submit" name="intent" value="relocate">{t('staffRequestsTrackingNumber.saveLocation')}</button>
      </Form>
    </section>
  );
}

function NoteForm({ errors, version }: { errors: FormErrors; version: number }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="note-heading" className="margin-bottom-4">
      <h4 id="note-heading">{t('staffRequestsTrackingNumber.internalNote')}</h4>
      <Form method="post" className="usa-form maxw-none">
        <VersionField version={version} />
        <TextAreaField label={t('staffRequestsTrackingNumber.noteForStaff')} name="note" hint={t('staffRequestsTrackingNumber.neverShownToThePublic')} defaultValue={errors?.values.note} error={errors?.fieldErrors.note} />
        <FormProblem errors={errors} />
        <button className="usa-button usa-button--outline" type="submit" name="intent" value="note">{t('staffRequestsTrackingNumber.addNote')}</button>
      </Form>
    </section>
  );
}

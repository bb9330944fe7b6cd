import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useId } from 'react';
import { SuccessAlert } from '~/components/form-field';
import { LocationMapEnhancement, mapStylesheets } from '~/components/location-map';
import { BOUNDARY_MAX_BYTES, BOUNDARY_MAX_VERTICES, type Outline } from '~/modules/geo/geometry';
import { getBoundaryOverview, previewBoundary, saveBoundary, type BoundaryPreview } from '~/modules/geo/boundary.server';
import { townAnchorPoint } from '~/modules/geo/locate-town.server';
import { getEnv } from '~/utils/env.server';
import { readUploadForm, UNREADABLE_FILE_MESSAGE } from '~/utils/multipart.server';
import { requireTownRole } from '~/utils/permissions.server';
import { useTranslation } from 'react-i18next';
import { useIntlLocale } from '~/i18n/intl';
import { numberFormat } from '~/utils/number-format';
import { metaT } from '~/i18n/translate';
import { requestT } from '~/i18n/i18n.server';

export const links: LinksFunction = () => mapStylesheets();

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('adminBoundary.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const { town } = admin;
  const { summary, outline } = await getBoundaryOverview(admin);
  return json({
    town: { name: town.name, accentColor: town.accentColor },
    summary,
    outline,
    center: await townAnchorPoint(town.slug),
    mapboxToken: getEnv().MAPBOX_TOKEN ?? null,
    saved: new URL(request.url).searchParams.has('saved'),
  });
}

type ActionData = { preview?: BoundaryPreview; error?: string };

const MAX_MB = BOUNDARY_MAX_BYTES / 1024 / 1024;

/**
 * Two steps. Upload: the file is checked and a preview returned; nothing is stored. Confirm: the
 * normalised geometry comes back in a hidden field (no server-side draft to expire or clean up,
 * and any app process can take the confirm) and is checked again in full before it is saved.
 */
export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const admin = await requireTownRole(args, 'admin');
  const t = await requestT(request);
  // The confirm step sends the checked geometry back as a text field, as large as the file may be.
  const { fields, files, unreadableParts } = await readUploadForm(request, { fileField: 'boundary', maxFileBytes: BOUNDARY_MAX_BYTES, maxFiles: 1, maxFieldBytes: BOUNDARY_MAX_BYTES });
  const intent = fields.get('intent');
  if (intent === 'preview') {
    const file = files[0];
    if (unreadableParts > 0) return json<ActionData>({ error: UNREADABLE_FILE_MESSAGE }, { status: 422 });
    if (!file) return json<ActionData>({ error: t('errors:boundaryFile.fileRequired') }, { status: 422 });
    if (file.tooLarge) return json<ActionData>({ error: t('errors:boundaryFile.fileTooLarge', { maxMb: MAX_MB }) }, { status: 413 });
    const result = await previewBoundary(admin, file.bytes.toString('utf8'));
    if (!result.ok) return json<ActionData>({ error: result.message }, { status: result.status });
    return json<ActionData>({ preview: result.preview });
  }
  if (intent === 'confirm') {
    const result = await saveBoundary(admin, { candidate: fields.get('candidate') ?? '', basedOn: fields.get('basedOn') ?? '' });
    if (!result.ok) return json<ActionData>({ error: result.message }, { status: result.status });
    return redirect('/admin/boundary?saved=1');
  }
  throw new Response(t('errors:unknownAction'), { status: 400 });
}

function OutlineFigure({ outline, accentColor, title, caption }: { outline: Outline; accentColor: string; title: string; caption: string }) {
  const titleId = useId();
  const [first, second] = outline.paths;
  const comparing = second !== undefined;
  return (
    <figure className="margin-x-0">
      <svg role="img" aria-labelledby={titleId} viewBox={outline.viewBox} width="100%" style={{ maxWidth: outline.width }} fillRule="evenodd" strokeLinejoin="round">
        <title id={titleId}>{title}</title>
        <path
          d={first}
          fill={comparing ? 'none' : accentColor}
          fillOpacity={0.15}
          stroke={comparing ? '#565c65' : accentColor}
          strokeWidth={comparing ? 1.5 : 2}
          strokeDasharray={comparing ? '6 4' : undefined}
        />
        {comparing ? <path d={second} fill={accentColor} fillOpacity={0.15} stroke={accentColor} strokeWidth={2} /> : null}
      </svg>
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

export default function AdminBoundary() {
  const { t } = useTranslation();
  const count = numberFormat(useIntlLocale());
  const { town, summary, outline, center, mapboxToken, saved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const preview = actionData?.preview;
  const error = actionData?.error;
  return (
    <>
      <h1>{t('adminBoundary.boundary')}</h1>
      <p>{t('adminBoundary.reportsWhoseLocationFallsInside', { name: town.name })}</p>
      <SuccessAlert message={saved ? t('adminBoundary.boundaryReplacedNewReportsAre') : null} />

      {preview ? (
        <section aria-labelledby="preview-heading" className="margin-bottom-4">
          <h2 id="preview-heading">{t('adminBoundary.checkTheNewBoundary')}</h2>
          <p>{t('adminBoundary.nothingHasChangedYetCompare')}</p>
          <table className="usa-table usa-table--borderless">
            <caption>{t('adminBoundary.currentAndNewBoundary')}</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="usa-sr-only">{t('adminBoundary.measure')}</span>
                </th>
                <th scope="col">{t('adminBoundary.current')}</th>
                <th scope="col">{t('adminBoundary.new')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{t('adminBoundary.area')}</th>
                <td>{t('adminBoundary.areaInKm2', { areaKm2: preview.current.areaKm2 })}</td>
                <td>{t('adminBoundary.areaInKm2', { areaKm2: preview.proposed.areaKm2 })}</td>
              </tr>
              <tr>
                <th scope="row">{t('adminBoundary.cornersVertices')}</th>
                <td>{count.format(preview.current.vertexCount)}</td>
                <td>{count.format(preview.proposed.vertexCount)}</td>
              </tr>
            </tbody>
          </table>
          <OutlineFigure
            outline={preview.outline}
            accentColor={town.accentColor}
            title={t('adminBoundary.outlineOfNameCurrentBoundary', { name: town.name })}
            caption={t('adminBoundary.compareCaption')}
          />
          {preview.warnings.length > 0 ? (
            <div className="usa-alert usa-alert--warning" role="status">
              <div className="usa-alert__body">
                <h3 className="usa-alert__heading">{t('adminBoundary.pleaseCheck')}</h3>
                <ul className="usa-list">
                  {preview.warnings.map((w) => (
                    <li key={w}>{w}</li>
                  ))}
                </ul>
              </div>
            </div>
          ) : null}
          <Form method="post" className="margin-top-2">
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="candidate" value={preview.candidate} />
            <input type="hidden" name="basedOn" value={preview.basedOn} />
            <button type="submit" className="usa-button" disabled={busy}>{t('adminBoundary.replaceTheBoundary')}</button>
            <Link to="/admin/boundary" className="usa-button usa-button--unstyled">{t('adminBoundary.cancel')}</Link>
          </Form>
        </section>
      ) : null}

      <h2>{t('adminBoundary.currentBoundary')}</h2>
      <p>{t('adminBoundary.areaAndCorners', { areaKm2: summary.areaKm2, vertexCount: count.format(summary.vertexCount) })}</p>
      <OutlineFigure outline={outline} accentColor={town.accentColor} title={t('adminBoundary.outlineOfNameSCurrent', { name: town.name })} caption={t('adminBoundary.currentCaption')} />
      <LocationMapEnhancement center={center} zoom={12} pin={null} mapboxToken={mapboxToken} boundariesUrl="/geo/towns.geojson" label={t('adminBoundary.mapOfNameAndNeighbouring', { name: town.name })} />

      <h2 id="upload-heading">{t('adminBoundary.replaceTheBoundary')}</h2>
      <Form method="post" encType="multipart/form-data" className="usa-form usa-form--large" aria-labelledby="upload-heading" noValidate>
        <input type="hidden" name="intent" value="preview" />
        <div className={`usa-form-group${error ? ' usa-form-group--error' : ''}`}>
          <label className={`usa-label${error ? ' usa-label--error' : ''}`} htmlFor="field-boundary">{t('adminBoundary.geojsonFile')}</label>
          <div className="usa-hint" id="field-boundary-hint">{t('adminBoundary.aFeatureAFeaturecollectionWith', { MAX_MB, maxVertices: count.format(BOUNDARY_MAX_VERTICES) })}</div>
          {error ? (
            <span className="usa-error-message" id="field-boundary-error" role="alert">
              {error}
            </span>
          ) : null}
          <input
            className="usa-input"
            id="field-boundary"
            name="boundary"
            type="file"
            accept=".geojson,.json,application/geo+json,application/json"
            aria-describedby={`field-boundary-hint${error ? ' field-boundary-error' : ''}`}
            aria-invalid={error ? true : undefined}
          />
        </div>
        <button type="submit" className="usa-button" disabled={busy}>
          {busy ? t('adminBoundary.checking') : t('adminBoundary.checkTheFile')}
        </button>
      </Form>
    </>
  );
}

import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { useIntlLocale } from '~/i18n/intl';
import { TransText } from '~/i18n/trans-text';
import { metaT } from '~/i18n/translate';
import { formatPeriod, MIN_VOLUME, PROGRAM_TIME_ZONE, quartersSince } from '~/modules/oversight/kpi';
import { addDays, dayIn } from '~/utils/calendar-day';
import { loadProgramReport, parseReportQuarter, type ReportFigures } from '~/modules/oversight/program-report.server';
import { searchParamsOf } from '~/utils/control-characters';
import { numberFormat } from '~/utils/number-format';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite } from '~/utils/town.server';
import { SelectField } from '~/components/form-field';

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [{ title: metaT(matches)('stateReport.pageTitle', { quarter: data?.report.quarter ?? '' }) }];

/** Quarters offered: the last three years'. */
const REPORT_YEARS = 3;

export async function loader(args: LoaderFunctionArgs) {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const quarter = parseReportQuarter(searchParamsOf(args.request));
  const report = await loadProgramReport(stateStaff, quarter);
  const quarters = quartersSince(addDays(report.today, -REPORT_YEARS * 365), dayIn(new Date(), PROGRAM_TIME_ZONE)).map(formatPeriod);
  return json({ report, quarters });
}

export default function ProgramReportPage() {
  const { t } = useTranslation();
  const locale = useIntlLocale();
  const { report, quarters } = useLoaderData<typeof loader>();
  const count = numberFormat(locale);
  const decimal = numberFormat(locale, { maximumFractionDigits: 1 });
  const percent = numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const orNone = (value: number | null, format: (v: number) => string) => (value === null ? t('stateIndex.none') : format(value));
  const cells = (f: ReportFigures) => (
    <>
      <td>{count.format(f.received)}</td>
      <td>{orNone(f.medianHoursToAcknowledge, (v) => decimal.format(v))}</td>
      <td>{t('stateReport.countAndShare', { number: count.format(f.acknowledgedLate), share: orNone(f.acknowledgedLateShare, (v) => percent.format(v / 100)) })}</td>
      <td>{count.format(f.closed)}</td>
      <td>{orNone(f.medianBusinessDaysToClose, (v) => decimal.format(v))}</td>
      <td>{t('stateReport.countAndShare', { number: count.format(f.closedOnTime), share: orNone(f.closedOnTimeShare, (v) => percent.format(v / 100)) })}</td>
      <td>{count.format(f.stillOpen)}</td>
    </>
  );
  return (
    <>
      <p className="cc-no-print">
        <Link to="/state">{t('stateTown.backToConsole')}</Link>
      </p>
      <h1>{t('stateReport.heading', { quarter: report.quarter })}</h1>
      <Form method="get" className="cc-filters cc-no-print">
        <SelectField label={t('stateReport.quarter')} name="quarter" defaultValue={report.quarter} options={quarters.map((q) => ({ value: q, label: q }))} />
        <div>
          <button type="submit" className="usa-button">
            {t('stateIndex.show')}
          </button>
        </div>
        <div>
          <a className="usa-button usa-button--outline" href={`/state/report.csv?quarter=${report.quarter}`} download>
            {t('stateReport.downloadCsv')}
          </a>
        </div>
      </Form>
      <p>{t('stateReport.covers', { from: report.from, to: report.to, today: report.today })}</p>
      <p>
        {t('stateIndex.howToRead')} {t('stateReport.minimumVolume', { min: MIN_VOLUME })}
      </p>
      <table className="usa-table usa-table--borderless usa-table--compact cc-report">
        <caption>{t('stateReport.caption', { quarter: report.quarter })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('stateReport.townAndCategory')}</th>
            <th scope="col">{t('stateTown.received')}</th>
            <th scope="col">{t('stateIndex.ack')}</th>
            <th scope="col">{t('stateIndex.ack_late')}</th>
            <th scope="col">{t('stateReport.closed')}</th>
            <th scope="col">{t('stateIndex.close')}</th>
            <th scope="col">{t('stateIndex.on_time')}</th>
            <th scope="col">{t('stateReport.stillOpen')}</th>
          </tr>
        </thead>
        {report.towns.map((town) => (
          <Fragment key={town.slug}>
            <tbody>
              <tr className="cc-report__town">
                <th scope="row">
                  {town.name}
                  <span className="cc-report__note">
                    {' '}
                    {t('stateReport.townNote', { county: town.county, lifecycle: t(`townLifecycle.${town.lifecycle}`) })}
                    {town.figures.received < MIN_VOLUME ? ` ${t('stateReport.belowMinimum', { min: MIN_VOLUME })}` : ''}
                  </span>
                </th>
                {cells(town.figures)}
              </tr>
              {town.byProgramCategory.map((c) => (
                <tr key={c.category.code}>
                  <th scope="row" className="cc-report__category">
                    <TransText t={t} i18nKey="stateReport.categoryOfTown" values={{ category: c.category.name, town: town.name }} components={{ span: <span className="usa-sr-only" /> }} />
                  </th>
                  {cells(c.figures)}
                </tr>
              ))}
            </tbody>
          </Fragment>
        ))}
      </table>
    </>
  );
}

import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { SelectField } from '~/components/form-field';
import { Sparkline } from '~/components/kpi-charts';
import { metaT } from '~/i18n/translate';
import { useIntlLocale } from '~/i18n/intl';
import { consoleSearch, parseConsoleQuery, type ConsoleSort, type RankedFigure } from '~/modules/oversight/console-query';
import { loadStateConsole } from '~/modules/oversight/console.server';
import { formatPeriod, MIN_VOLUME, ROLLING_PERIODS, type Standing } from '~/modules/oversight/kpi';
import { TOWN_LIFECYCLE_STATES } from '~/modules/towns/lifecycle';
import { searchParamsOf } from '~/utils/control-characters';
import { numberFormat } from '~/utils/number-format';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite } from '~/utils/town.server';

export const meta: MetaFunction = ({ matches }) => [{ title: metaT(matches)('stateIndex.pageTitle') }];

export async function loader(args: LoaderFunctionArgs) {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const query = parseConsoleQuery(searchParamsOf(args.request));
  const view = await loadStateConsole(stateStaff, query);
  return json({ query, view });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>['view']['rows'][number];

const COLUMNS: ConsoleSort[] = ['town', 'lifecycle', 'received30', 'received90', 'received365', 'backlog', 'long_overdue', 'backlog_age', 'ack', 'close', 'on_time', 'ack_late', 'staff'];

/** Where each column's figure is explained on the drill-down. */
const SECTION: Record<Exclude<ConsoleSort, 'town' | 'lifecycle'>, string> = {
  received30: 'requests',
  received90: 'requests',
  received365: 'requests',
  backlog: 'backlog',
  backlog_age: 'backlog',
  long_overdue: 'long-overdue',
  ack: 'acknowledge',
  close: 'close',
  on_time: 'close',
  ack_late: 'acknowledge',
  staff: 'team',
};

export default function StateConsole() {
  const { t } = useTranslation();
  const locale = useIntlLocale();
  const { query, view } = useLoaderData<typeof loader>();
  const count = numberFormat(locale);
  const decimal = numberFormat(locale, { maximumFractionDigits: 1 });
  const percent = numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const drillDown = (slug: string, section: string) => `/state/towns/${slug}${consoleSearch(query, { sort: 'town', dir: 'asc', cohort: null, county: null, lifecycle: null })}#${section}`;
  const categoryName = view.options.programCategories.find((c) => c.code === query.category)?.name ?? t('stateIndex.allCategories');

  const standingText = (standing: Standing | undefined) =>
    standing ? t(standing.cue ? `stateIndex.${standing.cue}` : 'stateIndex.ranked', { rank: standing.rank, of: standing.of }) : t('stateIndex.notRanked', { min: MIN_VOLUME });

  const rankedCell = (row: Row, figure: RankedFigure, value: number | null, format: (v: number) => string) => {
    const standing = row.standings[figure];
    return (
      <td className={standing?.cue ? `cc-kpi cc-kpi--${standing.cue}` : undefined}>
        <Link to={drillDown(row.slug, SECTION[figure])}>{value === null ? t('stateIndex.none') : format(value)}</Link>
        {standing?.cue ? (
          <span aria-hidden="true" className="cc-kpi__mark">
            {t(`stateIndex.${standing.cue}Mark`)}
          </span>
        ) : null}
        {value === null ? null : <span className="usa-sr-only">{standingText(standing)}</span>}
      </td>
    );
  };

  const countCell = (row: Row, section: string, value: number) => (
    <td>
      <Link to={drillDown(row.slug, section)}>{count.format(value)}</Link>
    </td>
  );

  return (
    <>
      <h1>{t('stateIndex.stateConsole')}</h1>
      <ul className="usa-list usa-list--unstyled cc-inline-list">
        <li>
          <Link to="/state/towns/new">{t('stateIndex.addATown')}</Link>
        </li>
        <li>
          <Link to={`/state/report`}>{t('stateIndex.programReport')}</Link>
        </li>
        <li>
          <Link to="/state/audit">{t('stateIndex.auditLogOfEveryTown')}</Link>
        </li>
        <li>
          <Link to="/state/billing">{t('stateBilling.consoleLink')}</Link>
        </li>
      </ul>

      <Form method="get" className="cc-filters" aria-labelledby="console-filters">
        <h2 id="console-filters" className="usa-sr-only">
          {t('stateIndex.filters')}
        </h2>
        <input type="hidden" name="sort" value={query.sort} />
        <input type="hidden" name="dir" value={query.dir} />
        <SelectField
          label={t('stateIndex.period')}
          name="period"
          defaultValue={formatPeriod(query.period)}
          options={[
            ...ROLLING_PERIODS.map((days) => ({ value: `${days}d`, label: t('stateIndex.lastDays', { days }) })),
            ...view.options.quarters.map((quarter) => ({ value: quarter, label: t('stateIndex.quarter', { quarter }) })),
          ]}
        />
        <SelectField
          label={t('stateIndex.programCategory')}
          name="category"
          defaultValue={query.category ?? ''}
          options={[{ value: '', label: t('stateIndex.allCategories') }, ...view.options.programCategories.map((c) => ({ value: c.code, label: c.name }))]}
        />
        <SelectField
          label={t('stateIndex.cohort')}
          name="cohort"
          defaultValue={query.cohort ?? ''}
          options={[{ value: '', label: t('stateIndex.allCohorts') }, ...view.options.cohorts.map((c) => ({ value: c, label: c }))]}
        />
        <SelectField
          label={t('stateIndex.county')}
          name="county"
          defaultValue={query.county ?? ''}
          options={[{ value: '', label: t('stateIndex.allCounties') }, ...view.options.counties.map((c) => ({ value: c, label: c }))]}
        />
        <SelectField
          label={t('stateIndex.lifecycle')}
          name="lifecycle"
          defaultValue={query.lifecycle ?? ''}
          options={[{ value: '', label: t('stateIndex.anyLifecycle') }, ...TOWN_LIFECYCLE_STATES.map((l) => ({ value: l, label: t(`townLifecycle.${l}`) }))]}
        />
        <div>
          <button type="submit" className="usa-button">
            {t('stateIndex.show')}
          </button>
        </div>
      </Form>

      <p>
        {t('stateIndex.showing', { shown: view.rows.length, total: view.townCount })} {t('stateIndex.periodIs', { from: view.period.from, to: view.period.to, today: view.today })}
      </p>
      <p>{t('stateIndex.howToRead')}</p>
      <p>
        {t('stateIndex.minimumVolume', { min: MIN_VOLUME })} {t('stateIndex.fairComparison')}
      </p>

      {view.rows.length === 0 ? (
        <p>{t('stateIndex.noTown')}</p>
      ) : (
        // Focusable so a keyboard can scroll it sideways; named so that stop is announced.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        <div className="usa-table-container--scrollable" tabIndex={0} role="region" aria-label={t('stateIndex.scrollTable')}>
          <table className="usa-table usa-table--borderless usa-table--compact cc-console">
            <caption>{t('stateIndex.caption', { category: categoryName })}</caption>
            <thead>
              <tr>
                {COLUMNS.map((column) => {
                  const active = query.sort === column;
                  return (
                    <th key={column} scope="col" aria-sort={active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                      <Link to={consoleSearch(query, { sort: column, dir: active && query.dir === 'asc' ? 'desc' : 'asc' })}>{t(`stateIndex.${column}`)}</Link>
                    </th>
                  );
                })}
                <th scope="col">{t('stateIndex.trend')}</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((row) => {
                const { figures } = row;
                return (
                  <tr key={row.slug}>
                    <th scope="row">
                      <Link to={drillDown(row.slug, 'summary')}>{row.name}</Link>
                    </th>
                    <td>{t(`townLifecycle.${row.lifecycle}`)}</td>
                    {countCell(row, 'requests', figures.received.last30)}
                    {countCell(row, 'requests', figures.received.last90)}
                    {countCell(row, 'requests', figures.received.last365)}
                    {countCell(row, 'backlog', figures.backlog.open)}
                    <td className={row.longOverdue > 0 ? 'cc-kpi cc-kpi--trailing' : undefined}>
                      <Link to={drillDown(row.slug, 'long-overdue')}>{count.format(row.longOverdue)}</Link>
                    </td>
                    {rankedCell(row, 'backlog_age', figures.backlog.medianAgeDays, (v) => decimal.format(v))}
                    {rankedCell(row, 'ack', figures.period.medianHoursToAcknowledge, (v) => decimal.format(v))}
                    {rankedCell(row, 'close', figures.period.medianBusinessDaysToClose, (v) => decimal.format(v))}
                    {rankedCell(row, 'on_time', figures.period.closedOnTimeShare, (v) => percent.format(v / 100))}
                    {rankedCell(row, 'ack_late', figures.period.acknowledgedLateShare, (v) => percent.format(v / 100))}
                    <td>
                      <Link to={drillDown(row.slug, 'team')}>{t('stateIndex.staffActive', { active: row.staff.active, members: row.staff.members })}</Link>
                    </td>
                    <td>
                      <Sparkline
                        values={figures.trend}
                        title={t('stateIndex.trendTitle', { town: row.name })}
                        description={t('stateIndex.trendDescription', { values: figures.trend.map((v) => count.format(v)).join(', ') })}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

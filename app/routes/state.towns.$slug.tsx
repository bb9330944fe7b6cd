import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SeriesChart, type ChartPoint } from '~/components/kpi-charts';
import { TownLifecycleSummary } from '~/components/town-lifecycle';
import { TownTime } from '~/components/town-time';
import { useIntlLocale } from '~/i18n/intl';
import { metaT } from '~/i18n/translate';
import { consoleSearch, parseConsoleQuery } from '~/modules/oversight/console-query';
import { PROGRAM_TIME_ZONE, TREND_WEEKS } from '~/modules/oversight/kpi';
import { addDays } from '~/utils/calendar-day';
import { loadTownOverview } from '~/modules/oversight/town-overview.server';
import { pathParam, searchParamsOf } from '~/utils/control-characters';
import { dateTimeFormat } from '~/utils/date-format';
import { numberFormat } from '~/utils/number-format';
import { requireStateStaff } from '~/utils/permissions.server';
import { requireStatewideSite, siteOrigin } from '~/utils/town.server';
import { LONG_OVERDUE_BUSINESS_DAYS } from '~/modules/oversight/long-overdue.server';

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [{ title: metaT(matches)('stateTown.pageTitle', { town: data?.overview.town.name ?? '' }) }];

export async function loader(args: LoaderFunctionArgs) {
  await requireStatewideSite(args);
  const stateStaff = await requireStateStaff(args);
  const slug = pathParam(args.params, 'slug');
  const query = parseConsoleQuery(searchParamsOf(args.request));
  const overview = await loadTownOverview(stateStaff, slug, query);
  if (!overview) throw new Response('No such town', { status: 404 });
  // The requests are the town's public pages; the threshold lives in a server module.
  return json({ query, overview, longOverdueDays: LONG_OVERDUE_BUSINESS_DAYS, townOrigin: siteOrigin(slug) });
}

type Shares = { closedOnTimeShare: number | null; acknowledgedLateShare: number | null };
type Figures = { received: number; medianHoursToAcknowledge: number | null; medianBusinessDaysToClose: number | null } & Shares;

export default function TownOverviewPage() {
  const { t } = useTranslation();
  const locale = useIntlLocale();
  const { query, overview, longOverdueDays, townOrigin } = useLoaderData<typeof loader>();
  const { town, figures, monthly } = overview;
  const count = numberFormat(locale);
  const decimal = numberFormat(locale, { maximumFractionDigits: 1 });
  const percent = numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const monthLabel = dateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  const weekLabel = dateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const orNone = (value: number | null, format: (v: number) => string) => (value === null ? t('stateIndex.none') : format(value));
  const hours = (v: number) => t('stateTown.hours', { value: decimal.format(v) });
  const days = (v: number) => t('stateTown.businessDays', { value: decimal.format(v), count: v });
  const share = (v: number) => percent.format(v / 100);
  const months = (value: (f: (typeof monthly)[number]['figures']) => number | null): ChartPoint[] =>
    monthly.map((m) => ({ label: monthLabel.format(new Date(`${m.month}-01T00:00:00Z`)), value: value(m.figures) }));
  const chart = (id: string, kind: 'bars' | 'line', title: string, points: ChartPoint[], format: (v: number) => string, column: string) => (
    <SeriesChart
      key={id}
      kind={kind}
      title={title}
      description={t('stateTown.chartDescription', { values: points.map((p) => `${p.label}: ${p.value === null ? t('stateIndex.none') : format(p.value)}`).join('; ') })}
      points={points}
      format={format}
      columns={[t('stateTown.month'), column]}
      empty={t('stateIndex.none')}
      tableSummary={t('stateTown.dataTable')}
    />
  );
  const scope = overview.programCategory ? overview.programCategory.name : t('stateIndex.allCategories');
  const figureRow = (label: ReactNode, f: Figures, key: string, open?: number) => (
    <tr key={key}>
      <th scope="row">{label}</th>
      <td>{count.format(f.received)}</td>
      <td>{orNone(f.medianHoursToAcknowledge, (v) => decimal.format(v))}</td>
      <td>{orNone(f.acknowledgedLateShare, share)}</td>
      <td>{orNone(f.medianBusinessDaysToClose, (v) => decimal.format(v))}</td>
      <td>{orNone(f.closedOnTimeShare, share)}</td>
      {open === undefined ? null : <td>{count.format(open)}</td>}
    </tr>
  );
  const figureHeadings = (first: string, withOpen: boolean) => (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col">{t('stateTown.received')}</th>
        <th scope="col">{t('stateIndex.ack')}</th>
        <th scope="col">{t('stateIndex.ack_late')}</th>
        <th scope="col">{t('stateIndex.close')}</th>
        <th scope="col">{t('stateIndex.on_time')}</th>
        {withOpen ? <th scope="col">{t('stateIndex.backlog')}</th> : null}
      </tr>
    </thead>
  );
  const consoleLink = `/state${consoleSearch({ ...query, sort: 'town', dir: 'asc', cohort: null, county: null, lifecycle: null })}`;

  return (
    <>
      <p className="cc-no-print">
        <Link to={consoleLink}>{t('stateTown.backToConsole')}</Link>
      </p>
      <h1>{town.name}</h1>
      <p>
        {t('stateTown.where', { county: town.county, cohort: town.cohort })} {t('stateTown.lifecycle', { lifecycle: t(`townLifecycle.${town.lifecycle.state}`) })}
      </p>
      <p>{t('stateTown.scope', { category: scope, from: overview.period.from, to: overview.period.to, today: overview.today })}</p>

      <section id="summary" aria-labelledby="summary-heading">
        <h2 id="summary-heading">{t('stateTown.summary')}</h2>
        <ul className="cc-figures">
          <li>
            {t('stateTown.received')}
            <strong>{count.format(figures.period.received)}</strong>
          </li>
          <li>
            {t('stateIndex.ack')}
            <strong>{orNone(figures.period.medianHoursToAcknowledge, (v) => decimal.format(v))}</strong>
          </li>
          <li>
            {t('stateIndex.ack_late')}
            <strong>{orNone(figures.period.acknowledgedLateShare, share)}</strong>
          </li>
          <li>
            {t('stateIndex.close')}
            <strong>{orNone(figures.period.medianBusinessDaysToClose, (v) => decimal.format(v))}</strong>
          </li>
          <li>
            {t('stateIndex.on_time')}
            <strong>{orNone(figures.period.closedOnTimeShare, share)}</strong>
          </li>
          <li>
            {t('stateIndex.backlog')}
            <strong>{count.format(figures.backlog.open)}</strong>
          </li>
          <li>
            {t('stateIndex.staff')}
            <strong>{t('stateIndex.staffActive', { active: overview.staff.active, members: overview.staff.members })}</strong>
          </li>
        </ul>
      </section>

      <section id="requests" aria-labelledby="requests-heading">
        <h2 id="requests-heading">{t('stateTown.requests')}</h2>
        <p>{t('stateTown.receivedLately', { last30: count.format(figures.received.last30), last90: count.format(figures.received.last90), last365: count.format(figures.received.last365) })}</p>
        {chart('monthly', 'bars', t('stateTown.requestsPerMonth', { town: town.name }), months((f) => f.received), (v) => count.format(v), t('stateTown.received'))}
        <SeriesChart
          kind="bars"
          title={t('stateIndex.trendTitle', { town: town.name })}
          description={t('stateIndex.trendDescription', { values: figures.trend.map((v) => count.format(v)).join(', ') })}
          points={figures.trend.map((value, i) => ({ label: weekLabel.format(new Date(`${addDays(overview.today, -7 * (TREND_WEEKS - 1 - i))}T00:00:00Z`)), value }))}
          format={(v) => count.format(v)}
          columns={[t('stateTown.weekEnding'), t('stateTown.received')]}
          empty={t('stateIndex.none')}
          tableSummary={t('stateTown.dataTable')}
        />
      </section>

      <section id="acknowledge" aria-labelledby="acknowledge-heading">
        <h2 id="acknowledge-heading">{t('stateTown.acknowledgement')}</h2>
        {chart('ack', 'line', t('stateTown.ackPerMonth'), months((f) => f.medianHoursToAcknowledge), hours, t('stateIndex.ack'))}
        {chart('ack_late', 'line', t('stateTown.ackLatePerMonth'), months((f) => f.acknowledgedLateShare), share, t('stateIndex.ack_late'))}
      </section>

      <section id="close" aria-labelledby="close-heading">
        <h2 id="close-heading">{t('stateTown.closing')}</h2>
        {chart('close', 'line', t('stateTown.closePerMonth'), months((f) => f.medianBusinessDaysToClose), days, t('stateIndex.close'))}
        {chart('on_time', 'line', t('stateTown.onTimePerMonth'), months((f) => f.closedOnTimeShare), share, t('stateIndex.on_time'))}
      </section>

      <section id="backlog" aria-labelledby="backlog-heading">
        <h2 id="backlog-heading">{t('stateTown.backlog')}</h2>
        <p>
          {t('stateTown.backlogNow', { open: count.format(figures.backlog.open), age: orNone(figures.backlog.medianAgeDays, (v) => decimal.format(v)) })}
        </p>
      </section>

      <section id="long-overdue" aria-labelledby="long-overdue-heading">
        <h2 id="long-overdue-heading">{t('stateTown.longOverdue', { days: longOverdueDays })}</h2>
        <p>{t('stateTown.longOverdueIntro', { count: overview.longOverdue.total, days: longOverdueDays, town: overview.town.name })}</p>
        {overview.longOverdue.requests.length === 0 ? null : (
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption>{t('stateTown.longOverdueCaption', { shown: overview.longOverdue.requests.length, total: overview.longOverdue.total })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stateTown.trackingNumber')}</th>
                <th scope="col">{t('stateTown.category')}</th>
                <th scope="col">{t('stateTown.department')}</th>
                <th scope="col">{t('stateTown.status')}</th>
                <th scope="col">{t('stateTown.due')}</th>
                <th scope="col">{t('stateTown.businessDaysOverdue')}</th>
                <th scope="col">{t('stateTown.assigned')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.longOverdue.requests.map((r) => (
                <tr key={r.trackingNumber}>
                  <th scope="row">
                    <a href={`${townOrigin}/requests/${r.trackingNumber}`}>{r.trackingNumber}</a>
                  </th>
                  <td>{r.categoryName}</td>
                  <td>{r.departmentName ?? t('stateTown.noDepartment')}</td>
                  <td>{t(`requestStatus.${r.status}`)}</td>
                  <td>
                    <TownTime value={r.dueAt} timeZone={PROGRAM_TIME_ZONE} />
                  </td>
                  <td>{count.format(r.businessDaysOverdue)}</td>
                  <td>{r.assigned ? t('stateTown.yes') : t('stateTown.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section id="categories" aria-labelledby="categories-heading">
        <h2 id="categories-heading">{t('stateTown.byProgramCategory')}</h2>
        {overview.byProgramCategory.length === 0 ? (
          <p>{t('stateTown.noRequests')}</p>
        ) : (
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption>{t('stateTown.byProgramCategoryCaption', { from: overview.period.from, to: overview.period.to })}</caption>
            {figureHeadings(t('stateIndex.programCategory'), true)}
            <tbody>{overview.byProgramCategory.map((c) => figureRow(c.category.name, c.figures, c.category.code, c.open))}</tbody>
          </table>
        )}
      </section>

      <section id="departments" aria-labelledby="departments-heading">
        <h2 id="departments-heading">{t('stateTown.byDepartment')}</h2>
        {overview.byDepartment.length === 0 ? (
          <p>{t('stateTown.noRequests')}</p>
        ) : (
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption>{t('stateTown.byDepartmentCaption', { category: scope, from: overview.period.from, to: overview.period.to })}</caption>
            {figureHeadings(t('stateTown.department'), false)}
            <tbody>{overview.byDepartment.map((d) => figureRow(d.department?.name ?? t('stateTown.noDepartment'), d.figures, d.department?.id ?? 'none'))}</tbody>
          </table>
        )}
      </section>

      <section id="team" aria-labelledby="team-heading">
        <h2 id="team-heading">{t('stateTown.team')}</h2>
        <p>{t('stateTown.activeStaff', { active: overview.staff.active, members: overview.staff.members })}</p>
        {overview.team.length === 0 ? (
          <p>{t('stateTown.noTeam')}</p>
        ) : (
          <table className="usa-table usa-table--borderless usa-table--compact">
            <caption className="usa-sr-only">{t('stateTown.teamCaption', { town: town.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stateTown.person')}</th>
                <th scope="col">{t('stateTown.role')}</th>
                <th scope="col">{t('stateTown.lastSignedIn')}</th>
                <th scope="col">{t('stateTown.lastAction')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.team.map((m) => (
                <tr key={m.email}>
                  <th scope="row">{m.name ? t('stateTown.nameAndEmail', { name: m.name, email: m.email }) : m.email}</th>
                  <td>{t(`stateTown.roles.${m.role}`)}</td>
                  <td>{m.lastSignedInAt ? <TownTime value={m.lastSignedInAt} timeZone={PROGRAM_TIME_ZONE} /> : t('stateTown.never')}</td>
                  <td>{m.lastActionAt ? <TownTime value={m.lastActionAt} timeZone={PROGRAM_TIME_ZONE} /> : t('stateTown.never')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section id="configuration" aria-labelledby="configuration-heading">
        <h2 id="configuration-heading">{t('stateTown.configuration')}</h2>
        <h3>{t('stateTown.categoriesWithoutDepartment')}</h3>
        {overview.health.categoriesWithoutDepartment.length === 0 ? (
          <p>{t('stateTown.allRouted')}</p>
        ) : (
          <ul>
            {overview.health.categoriesWithoutDepartment.map((c) => (
              <li key={c.code}>{c.name}</li>
            ))}
          </ul>
        )}
        <h3>{t('stateTown.departmentsWithoutEmail')}</h3>
        {overview.health.departmentsWithoutEmail.length === 0 ? (
          <p>{t('stateTown.allHaveEmail')}</p>
        ) : (
          <ul>
            {overview.health.departmentsWithoutEmail.map((d) => (
              <li key={d.name}>{d.name}</li>
            ))}
          </ul>
        )}
        <h3>{t('stateTown.neverSignedIn')}</h3>
        {overview.health.neverSignedIn.length === 0 ? (
          <p>{t('stateTown.everyoneSignedIn')}</p>
        ) : (
          <ul>
            {overview.health.neverSignedIn.map((m) => (
              <li key={m.email}>{m.name ? t('stateTown.nameAndEmail', { name: m.name, email: m.email }) : m.email}</li>
            ))}
          </ul>
        )}
      </section>

      <section id="grant" aria-labelledby="grant-heading">
        <h2 id="grant-heading">{t('stateTown.grant')}</h2>
        <p>{t('stateTown.grantTerm', { start: town.grantStart, end: town.grantEnd })}</p>
        <p>
          <TownLifecycleSummary lifecycle={town.lifecycle} />
        </p>
        <p className="cc-no-print">
          <Link to={`/state/towns/${town.slug}/billing`}>{t('stateTown.billing', { name: town.name })}</Link>
        </p>
        <p className="cc-no-print">
          <Link to={`/state/towns/${town.slug}/onboarding`}>{t('stateTown.programStatus', { name: town.name })}</Link>
        </p>
      </section>
    </>
  );
}

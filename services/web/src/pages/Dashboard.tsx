import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Grid from '@mui/material/Grid';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import { FormattedMessage, useIntl, type IntlShape } from 'react-intl';
import { useGet } from '../api/client';
import { BarChart } from '../components/BarChart';
import { Link } from '../components/Link';
import { Show } from '../components/Status';
import { navigate } from '../router';

interface Count {
  count: number;
  query: Record<string, string | number>;
}
interface Breakdown {
  asOf: string;
  total: Count;
  byStatus: Record<string, Count>;
  groups: { key: string; total: Count; byStatus: Record<string, Count> }[];
}
interface Deadlines {
  asOf: string;
  overdue: Count;
  dueIn30Days: Count;
  dueIn60Days: Count;
  dueIn90Days: Count;
}

type Kind = 'actions' | 'recommendations';

/** The list behind a number: the API's own query for it, carried in the address. */
export const listHref = (kind: Kind, query: Count['query']) =>
  `/dashboard/${kind}?${new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)]))}`;

const ACTION_STATUSES = ['assigned', 'acknowledged', 'in_progress', 'blocked', 'declined', 'completed'];

export default function Dashboard() {
  const deadlines = useGet<Deadlines>('reporting', '/dashboards/deadlines');
  const byMinistry = useGet<Breakdown>('reporting', '/dashboards/actions/counts?by=lead_institution');
  const byTheme = useGet<Breakdown>('reporting', '/dashboards/recommendations/counts?by=theme');
  const bySdg = useGet<Breakdown>('reporting', '/dashboards/recommendations/counts?by=sdg_goal');
  const byMechanism = useGet<Breakdown>('reporting', '/dashboards/recommendations/counts?by=mechanism');
  const months = useMemo(lastTwelveMonths, []);
  const statusSeries = useGet<StatusSeries>(
    'reporting',
    `/dashboards/series/implementation-status?${months}`,
  );
  const reportSeries = useGet<ReportSeries>('reporting', `/dashboards/series/progress-reports?${months}`);
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        <FormattedMessage id="dashboard.heading" />
      </Typography>
      <Box component="section" aria-labelledby="deadlines-heading" sx={{ mb: 3 }}>
        <Typography variant="h5" component="h2" id="deadlines-heading" gutterBottom>
          <FormattedMessage id="dashboard.deadlines" />
        </Typography>
        <Show loaded={deadlines}>
          {(data) => (
            <Grid container spacing={2}>
              {(
                [
                  ['overdue', 'dashboard.overdue', data.overdue],
                  ['due-30', 'dashboard.dueIn30', data.dueIn30Days],
                  ['due-90', 'dashboard.dueIn90', data.dueIn90Days],
                ] as const
              ).map(([testId, message, count]) => (
                <Grid key={testId} size={{ xs: 12, md: 4 }}>
                  <Card variant="outlined">
                    <CardContent>
                      <Link
                        href={listHref('actions', count.query)}
                        variant="h6"
                        data-testid={testId}
                        data-count={count.count}
                      >
                        <FormattedMessage id={message} values={{ count: count.count }} />
                      </Link>
                    </CardContent>
                  </Card>
                </Grid>
              ))}
            </Grid>
          )}
        </Show>
      </Box>
      <Grid container spacing={3}>
        <Grid size={{ xs: 12, lg: 6 }}>
          <BreakdownSection
            id="by-ministry"
            title="dashboard.byMinistry"
            kind="actions"
            loaded={byMinistry}
            statuses={ACTION_STATUSES}
          />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <BreakdownSection
            id="by-mechanism"
            title="dashboard.byMechanism"
            kind="recommendations"
            loaded={byMechanism}
          />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <BreakdownSection id="by-theme" title="dashboard.byTheme" kind="recommendations" loaded={byTheme} />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <BreakdownSection id="by-sdg" title="dashboard.bySdg" kind="recommendations" loaded={bySdg} sdg />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <SeriesSection
            id="status-over-time"
            title="dashboard.statusOverTime"
            loaded={statusSeries}
            series={statusLines}
          />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <SeriesSection
            id="reports-per-month"
            title="dashboard.reportsPerMonth"
            loaded={reportSeries}
            series={reportLines}
          />
        </Grid>
      </Grid>
    </>
  );
}

const IMPLEMENTATION_STATUSES = [
  'not_started',
  'in_progress',
  'partially_implemented',
  'implemented',
  'no_longer_applicable',
];

interface StatusSeries {
  months: { month: string; byStatus: Record<string, number> }[];
}

interface ReportSeries {
  months: { month: string; count: number }[];
}

/** `from` and `to` of the last twelve months, this one included. */
export function lastTwelveMonths(today = new Date()): string {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 11, 1));
  return new URLSearchParams({ from: day(from), to: day(today) }).toString();
}

const statusLines = (data: StatusSeries, intl: IntlShape) =>
  IMPLEMENTATION_STATUSES.map((status) => ({
    name: intl.formatMessage({ id: `implementation.${status}` }),
    values: data.months.map((month) => month.byStatus[status] ?? 0),
  }));

const reportLines = (data: ReportSeries, intl: IntlShape) => [
  { name: intl.formatMessage({ id: 'dashboard.reports' }), values: data.months.map((month) => month.count) },
];

/** A monthly series (progress over time): a chart of the months, then its numbers in a table. */
function SeriesSection<T extends { months: { month: string }[] }>({
  id,
  title,
  loaded,
  series,
}: {
  id: string;
  title: string;
  loaded: ReturnType<typeof useGet<T>>;
  series: (data: T, intl: IntlShape) => { name: string; values: number[] }[];
}) {
  const intl = useIntl();
  const heading = intl.formatMessage({ id: title });
  return (
    <Box component="section" aria-labelledby={`${id}-heading`} data-testid={id}>
      <Typography variant="h5" component="h2" id={`${id}-heading`} gutterBottom>
        {heading}
      </Typography>
      <Show loaded={loaded}>{(data) => <SeriesView data={data} heading={heading} series={series} />}</Show>
    </Box>
  );
}

function SeriesView<T extends { months: { month: string }[] }>({
  data,
  heading,
  series,
}: {
  data: T;
  heading: string;
  series: (data: T, intl: IntlShape) => { name: string; values: number[] }[];
}) {
  const intl = useIntl();
  // `YYYY-MM` months, named in the reader's language.
  const months = useMemo(
    () =>
      data.months.map(({ month }) =>
        intl.formatDate(`${month.slice(0, 7)}-01T00:00:00Z`, {
          year: 'numeric',
          month: 'short',
          timeZone: 'UTC',
        }),
      ),
    [data, intl],
  );
  const lines = useMemo(() => series(data, intl), [data, intl, series]);
  return (
    <>
      <BarChart label={heading} categories={months} series={lines} />
      <Table size="small">
        <caption>{intl.formatMessage({ id: 'dashboard.tableCaption' }, { title: heading })}</caption>
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col">
              <FormattedMessage id="dashboard.month" />
            </TableCell>
            {lines.map((line) => (
              <TableCell key={line.name} component="th" scope="col" align="right">
                {line.name}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {months.map((month, index) => (
            <TableRow key={data.months[index]?.month ?? month}>
              <TableCell component="th" scope="row">
                {month}
              </TableCell>
              {lines.map((line) => (
                <TableCell key={line.name} align="right">
                  {intl.formatNumber(line.values[index] ?? 0)}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

function BreakdownSection({
  id,
  title,
  kind,
  loaded,
  statuses,
  sdg = false,
}: {
  id: string;
  title: string;
  kind: Kind;
  loaded: ReturnType<typeof useGet<Breakdown>>;
  statuses?: string[];
  sdg?: boolean;
}) {
  const intl = useIntl();
  const heading = intl.formatMessage({ id: title });
  return (
    <Box component="section" aria-labelledby={`${id}-heading`} data-testid={id}>
      <Typography variant="h5" component="h2" id={`${id}-heading`} gutterBottom>
        {heading}
      </Typography>
      <Show loaded={loaded}>
        {(data) => <BreakdownView data={data} kind={kind} heading={heading} statuses={statuses} sdg={sdg} />}
      </Show>
    </Box>
  );
}

function BreakdownView({
  data,
  kind,
  heading,
  statuses,
  sdg,
}: {
  data: Breakdown;
  kind: Kind;
  heading: string;
  statuses?: string[];
  sdg: boolean;
}) {
  const intl = useIntl();
  const groups = useMemo(
    () => [...data.groups].sort((a, b) => b.total.count - a.total.count).slice(0, 15),
    [data],
  );
  const categories = useMemo(
    () =>
      groups.map(({ key }) =>
        key === ''
          ? intl.formatMessage({ id: 'dashboard.noKey' })
          : sdg
            ? intl.formatMessage(
                { id: 'dashboard.sdgGoal' },
                // The goal's number in the reader's digits, as the chart's axis writes its numbers.
                { goal: /^\d+$/.test(key) ? intl.formatNumber(Number(key)) : key },
              )
            : key,
      ),
    [groups, intl, sdg],
  );
  const series = useMemo(
    () =>
      statuses
        ? statuses.map((status) => ({
            name: intl.formatMessage({ id: `status.${status}` }),
            values: groups.map((group) => group.byStatus[status]?.count ?? 0),
          }))
        : [
            {
              name: intl.formatMessage({ id: 'dashboard.total' }),
              values: groups.map((group) => group.total.count),
            },
          ],
    [groups, statuses, intl],
  );
  return (
    <>
      <BarChart
        label={heading}
        categories={categories}
        series={series}
        onOpen={(index, seriesIndex) => {
          const group = groups[index];
          if (!group) return;
          const status = statuses?.[seriesIndex];
          const count = status ? group.byStatus[status] : group.total;
          if (count) navigate(listHref(kind, count.query));
        }}
      />
      <Table size="small">
        <caption>{intl.formatMessage({ id: 'dashboard.tableCaption' }, { title: heading })}</caption>
        <TableHead>
          <TableRow>
            <TableCell component="th" scope="col">
              <FormattedMessage id="dashboard.group" />
            </TableCell>
            <TableCell component="th" scope="col" align="right">
              <FormattedMessage id="dashboard.total" />
            </TableCell>
            {statuses?.map((status) => (
              <TableCell key={status} component="th" scope="col" align="right">
                <FormattedMessage id={`status.${status}`} />
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {groups.map((group, index) => (
            <TableRow key={group.key}>
              <TableCell component="th" scope="row">
                {categories[index]}
              </TableCell>
              <TableCell align="right">
                <Link
                  href={listHref(kind, group.total.query)}
                  data-testid="total"
                  data-count={group.total.count}
                  aria-label={intl.formatMessage(
                    { id: 'dashboard.openList' },
                    { count: group.total.count, label: categories[index] },
                  )}
                >
                  {intl.formatNumber(group.total.count)}
                </Link>
              </TableCell>
              {/* The chart's stacked statuses, in numbers, each opening its list. */}
              {statuses?.map((status) => {
                const count = group.byStatus[status];
                return (
                  <TableCell key={status} align="right" data-status={status} data-count={count?.count ?? 0}>
                    {count && count.count > 0 ? (
                      <Link
                        href={listHref(kind, count.query)}
                        aria-label={intl.formatMessage(
                          { id: 'dashboard.openList' },
                          {
                            count: count.count,
                            label: `${categories[index]}, ${intl.formatMessage({ id: `status.${status}` })}`,
                          },
                        )}
                      >
                        {intl.formatNumber(count.count)}
                      </Link>
                    ) : (
                      intl.formatNumber(0)
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { FormattedDate, FormattedMessage } from 'react-intl';
import { useGet } from '../api/client';
import { Link } from '../components/Link';
import { Show } from '../components/Status';
import { navigate } from '../router';
import { Pager } from './Recommendations';

interface ActionItem {
  id: string;
  title: string;
  status: string;
  leadInstitutionName: string | null;
  dueAt: string | null;
}
interface RecommendationItem {
  id: string;
  documentSymbol: string;
  paragraph: string;
  mechanism: string;
  implementationStatus: string | null;
}

const PAGE = 20;

/** The list behind a dashboard number, asked with the very query the count answered with. */
export default function DashboardList({
  params,
  search,
}: {
  params: Record<string, string>;
  search: URLSearchParams;
}) {
  const kind = params.kind === 'recommendations' ? 'recommendations' : 'actions';
  const offset = Number(search.get('offset') ?? 0) || 0;
  const filter = new URLSearchParams(search);
  filter.delete('offset');
  const query = new URLSearchParams(filter);
  query.set('limit', String(PAGE));
  query.set('offset', String(offset));
  const loaded = useGet<{ items: (ActionItem & RecommendationItem)[]; total: number }>(
    'reporting',
    `/dashboards/${kind}?${query}`,
  );
  const description = [...filter].map(([key, value]) => `${key} = ${value}`).join(', ');
  return (
    <>
      <Link href="/dashboard">
        <FormattedMessage id="common.back" />
      </Link>
      <Typography variant="h4" component="h1" gutterBottom>
        <FormattedMessage id={kind === 'actions' ? 'list.actionsHeading' : 'list.recommendationsHeading'} />
      </Typography>
      {description && (
        <Typography sx={{ mb: 2 }}>
          <FormattedMessage id="list.filter" values={{ filter: description }} />
        </Typography>
      )}
      <Show loaded={loaded}>
        {({ items, total }) => (
          <>
            <Typography role="status" data-testid="list-total" data-count={total}>
              <FormattedMessage id="list.total" values={{ count: total }} />
            </Typography>
            <Table size="small">
              <TableHead>
                <TableRow>
                  {(kind === 'actions'
                    ? ['tasks.title', 'tasks.institution', 'tasks.dueDate', 'tasks.status']
                    : ['search.heading', 'facet.mechanism', 'recommendation.status']
                  ).map((id) => (
                    <TableCell key={id} component="th" scope="col">
                      <FormattedMessage id={id} />
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map((item) =>
                  kind === 'actions' ? (
                    <TableRow key={item.id}>
                      <TableCell>
                        <Link href={`/tasks/${item.id}`}>{item.title}</Link>
                      </TableCell>
                      <TableCell>{item.leadInstitutionName}</TableCell>
                      <TableCell>
                        {item.dueAt ? <FormattedDate value={item.dueAt} dateStyle="medium" /> : null}
                      </TableCell>
                      <TableCell>
                        <FormattedMessage id={`status.${item.status}`} />
                      </TableCell>
                    </TableRow>
                  ) : (
                    <TableRow key={item.id}>
                      <TableCell>
                        <Link href={`/recommendations/${item.id}`}>
                          <FormattedMessage
                            id="recommendation.paragraph"
                            values={{ document: item.documentSymbol, paragraph: item.paragraph }}
                          />
                        </Link>
                      </TableCell>
                      <TableCell>{item.mechanism}</TableCell>
                      <TableCell>
                        {item.implementationStatus && (
                          <FormattedMessage id={`implementation.${item.implementationStatus}`} />
                        )}
                      </TableCell>
                    </TableRow>
                  ),
                )}
              </TableBody>
            </Table>
            <Pager
              offset={offset}
              total={total}
              onPage={(next) => {
                const address = new URLSearchParams(filter);
                address.set('offset', String(next));
                navigate(`/dashboard/${kind}?${address}`);
              }}
            />
          </>
        )}
      </Show>
    </>
  );
}

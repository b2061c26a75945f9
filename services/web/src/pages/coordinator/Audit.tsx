import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import type { Service } from '../../api/client';
import { Failure, Loading } from '../../components/Status';
import { useApi } from './api';
import {
  AUDITED_SERVICES,
  NO_FILTERS,
  auditFilterErrors,
  auditPath,
  mergeAudit,
  withPage,
  type AuditFilters,
  type AuditRecord,
  type AuditSource,
} from './audit';

const PAGE = 50;
type Choice = Service | 'all';
interface Search {
  service: Choice;
  filters: AuditFilters;
}
type Trail =
  | { state: 'loading'; sources?: AuditSource[] }
  | { state: 'failed'; error: Error; sources?: AuditSource[] }
  | { state: 'done'; sources: AuditSource[] };

const COLUMNS = ['when', 'service', 'actor', 'action', 'entity', 'entityId', 'outcome', 'correlationId'];

/** The services' audit trails, one or all merged by time, filtered, newest first, paged back. */
export default function Audit() {
  const intl = useIntl();
  const api = useApi();
  const [draft, setDraft] = useState<Search>({ service: 'all', filters: NO_FILTERS });
  const [search, setSearch] = useState<Search>(draft);
  const [errors, setErrors] = useState<Partial<Record<keyof AuditFilters, string>>>({});
  const [trail, setTrail] = useState<Trail>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  const pageOf = useCallback(
    (service: Service, beforeSeq?: number) =>
      api<{ items: AuditRecord[]; nextBeforeSeq: number | null }>(
        service,
        auditPath(search.filters, PAGE, beforeSeq),
      ),
    [api, search],
  );

  useEffect(() => {
    let current = true;
    setTrail({ state: 'loading' });
    const services = search.service === 'all' ? AUDITED_SERVICES : [search.service];
    Promise.all(
      services.map(async (service) => withPage({ service, items: [], next: null }, await pageOf(service))),
    ).then(
      (sources) => current && setTrail({ state: 'done', sources }),
      (error: Error) => current && setTrail({ state: 'failed', error }),
    );
    return () => {
      current = false;
    };
  }, [pageOf, search, attempt]);

  const older = async (sources: AuditSource[]) => {
    const { behind } = mergeAudit(sources);
    setTrail({ state: 'loading', sources });
    try {
      const next = await Promise.all(
        sources.map(async (source) =>
          behind.includes(source.service) && source.next !== null
            ? withPage(source, await pageOf(source.service, source.next))
            : source,
        ),
      );
      setTrail({ state: 'done', sources: next });
    } catch (error) {
      setTrail({ state: 'failed', error: error as Error, sources });
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = auditFilterErrors(draft.filters);
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`audit-${first}`)?.focus();
      return;
    }
    setSearch(draft);
  };
  const setFilter = (patch: Partial<AuditFilters>) =>
    setDraft((now) => ({ ...now, filters: { ...now.filters, ...patch } }));
  const native = { select: { native: true }, inputLabel: { shrink: true } } as const;
  const field = (name: Exclude<keyof AuditFilters, 'outcome'>, type = 'text', help?: string) => (
    <TextField
      id={`audit-${name}`}
      type={type}
      size="small"
      label={intl.formatMessage({ id: `coord.audit.${name}` })}
      value={draft.filters[name]}
      onChange={(event) => setFilter({ [name]: event.target.value })}
      error={Boolean(errors[name])}
      helperText={
        errors[name] ? intl.formatMessage({ id: errors[name] }) : help && intl.formatMessage({ id: help })
      }
      slotProps={type === 'date' ? { inputLabel: { shrink: true } } : undefined}
    />
  );

  const merged = trail.sources ? mergeAudit(trail.sources) : null;

  return (
    <Stack spacing={3}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="coord.audit.heading" />
      </Typography>
      <Typography>
        <FormattedMessage id="coord.audit.intro" />
      </Typography>
      <Box component="form" noValidate onSubmit={submit} aria-labelledby="audit-filters">
        <Typography variant="h6" component="h2" id="audit-filters" gutterBottom>
          <FormattedMessage id="coord.audit.filters" />
        </Typography>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: 'repeat(auto-fill, minmax(14rem, 1fr))' }}>
          <TextField
            id="audit-service"
            select
            size="small"
            label={intl.formatMessage({ id: 'coord.audit.service' })}
            value={draft.service}
            onChange={(event) => setDraft((now) => ({ ...now, service: event.target.value as Choice }))}
            slotProps={native}
          >
            {(['all', ...AUDITED_SERVICES] as const).map((service) => (
              <option key={service} value={service}>
                {intl.formatMessage({ id: `coord.audit.service.${service}` })}
              </option>
            ))}
          </TextField>
          {field('entity', 'text', 'coord.audit.entityHelp')}
          {field('entityId')}
          {field('actorId', 'text', 'coord.audit.actorHelp')}
          {field('action', 'text', 'coord.audit.actionHelp')}
          <TextField
            id="audit-outcome"
            select
            size="small"
            label={intl.formatMessage({ id: 'coord.audit.outcome' })}
            value={draft.filters.outcome}
            onChange={(event) => setFilter({ outcome: event.target.value as AuditFilters['outcome'] })}
            slotProps={native}
          >
            {(['', 'applied', 'refused'] as const).map((outcome) => (
              <option key={outcome} value={outcome}>
                {intl.formatMessage({ id: `coord.audit.outcome.${outcome || 'any'}` })}
              </option>
            ))}
          </TextField>
          {field('from', 'date')}
          {field('to', 'date')}
        </Box>
        <Stack direction="row" spacing={2} sx={{ mt: 2 }}>
          <Button type="submit" variant="contained">
            <FormattedMessage id="coord.audit.show" />
          </Button>
          <Button
            onClick={() => {
              const cleared = { service: 'all' as const, filters: NO_FILTERS };
              setErrors({});
              setDraft(cleared);
              setSearch(cleared);
            }}
          >
            <FormattedMessage id="coord.audit.clear" />
          </Button>
        </Stack>
      </Box>

      {merged && (
        <>
          <Typography role="status" data-testid="audit-count" data-count={merged.rows.length}>
            {merged.rows.length === 0 && trail.state === 'done' ? (
              <FormattedMessage id="coord.audit.none" />
            ) : (
              <FormattedMessage id="coord.audit.count" values={{ count: merged.rows.length }} />
            )}
          </Typography>
          {merged.rows.length > 0 && (
            <TableContainer>
              <Table size="small" data-testid="audit-trail">
                <caption>
                  <FormattedMessage id="coord.audit.caption" />
                </caption>
                <TableHead>
                  <TableRow>
                    {COLUMNS.map((column) => (
                      <TableCell key={column} component="th" scope="col">
                        <FormattedMessage id={`coord.audit.col.${column}`} />
                      </TableCell>
                    ))}
                  </TableRow>
                </TableHead>
                <TableBody>
                  {merged.rows.map((row) => (
                    <TableRow key={`${row.service}-${row.seq}`} data-testid="audit-row" data-seq={row.seq}>
                      <TableCell component="th" scope="row">
                        <FormattedDate value={row.occurredAt} dateStyle="medium" timeStyle="medium" />
                      </TableCell>
                      <TableCell>
                        <FormattedMessage id={`coord.audit.service.${row.service}`} />
                      </TableCell>
                      <TableCell>{row.actor.name ?? row.actor.id}</TableCell>
                      <TableCell>{row.action}</TableCell>
                      <TableCell>{row.entity}</TableCell>
                      <TableCell sx={{ wordBreak: 'break-all' }}>{row.entityId}</TableCell>
                      <TableCell>
                        <FormattedMessage id={`coord.audit.outcome.${row.outcome}`} />
                      </TableCell>
                      <TableCell sx={{ wordBreak: 'break-all' }}>{row.correlationId}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
          )}
          {merged.more && trail.state === 'done' && (
            <Box>
              <Button variant="outlined" onClick={() => void older(trail.sources)}>
                <FormattedMessage id="coord.audit.older" />
              </Button>
            </Box>
          )}
        </>
      )}
      {trail.state === 'loading' && <Loading />}
      {trail.state === 'failed' && (
        <Failure
          error={trail.error}
          retry={() => (trail.sources ? void older(trail.sources) : setAttempt((n) => n + 1))}
        />
      )}
    </Stack>
  );
}

import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { useGet } from '../../api/client';
import { ListSection } from '../../components/ListSection';
import { Link } from '../../components/Link';
import { Failure, Show } from '../../components/Status';
import { importSettled, useApi, useGetAgain, useUpload, type ImportRecord, type ImportRow } from './api';
import { ImportProgress } from './ImportProgress';
import { validateImportForm, type ImportFormErrors } from './import-form';
import { usePoll } from './poll';

const FORMATS = ['', 'uhri', 'upr_matrix', 'template'] as const;

/** Upload a UHRI export, an OHCHR matrix or the template: preview first, then apply, watching the bar. */
export default function Imports({ search }: { search: URLSearchParams }) {
  const api = useApi();
  const [current, setCurrent] = useState<string | null>(search.get('import'));
  const [expectedRows, setExpectedRows] = useState<number | undefined>();
  const [listVersion, setListVersion] = useState(0);
  const load = useCallback((id: string) => api<ImportRecord>('recommendations', `/imports/${id}`), [api]);
  const polled = usePoll(current, load, importSettled, 700);
  const history = useGetAgain<{ items: ImportRecord[]; total: number }>(
    'recommendations',
    '/imports?limit=10',
    listVersion,
  );
  const show = (id: string, expected?: number) => {
    setExpectedRows(expected);
    setCurrent(id);
    setListVersion((n) => n + 1);
  };
  const record = polled.state === 'idle' ? undefined : polled.value;
  // A finished import changes the history's line for it.
  const finished = polled.state === 'finished';
  useEffect(() => {
    if (finished) setListVersion((n) => n + 1);
  }, [finished]);

  return (
    <Stack spacing={3}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="coord.imports.heading" />
      </Typography>
      <Typography>
        <FormattedMessage id="coord.imports.intro" />
      </Typography>
      <UploadForm onStarted={(started) => show(started.id)} />
      {current && (
        <Box component="section" aria-labelledby="current-import-heading">
          <Typography variant="h5" component="h2" id="current-import-heading" gutterBottom>
            {record ? (
              <FormattedMessage id="coord.import.current" values={{ file: record.filename }} />
            ) : (
              <FormattedMessage id="common.loading" />
            )}
          </Typography>
          {record && (
            <ImportDetail
              record={record}
              expectedRows={expectedRows}
              onApplied={(applied, expected) => show(applied.id, expected)}
            />
          )}
          {polled.state === 'failed' && <Failure error={polled.error} retry={polled.retry} />}
        </Box>
      )}
      <ListSection
        id="imports-history-heading"
        heading="coord.imports.history"
        empty="coord.imports.none"
        columns={[
          'coord.import.file',
          'coord.import.started',
          'coord.import.statusLabel',
          'coord.import.counts',
        ]}
        loaded={history}
        row={(item) => (
          <>
            <TableCell>
              <Link
                href={`/imports?import=${item.id}`}
                onClick={(event) => {
                  event.preventDefault();
                  show(item.id);
                }}
              >
                {item.filename}
              </Link>
            </TableCell>
            <TableCell>
              <FormattedDate value={item.startedAt} dateStyle="medium" timeStyle="short" />
            </TableCell>
            <TableCell>
              <FormattedMessage id={`coord.import.status.${item.status}`} />
            </TableCell>
            <TableCell>
              <Counts record={item} />
            </TableCell>
          </>
        )}
      />
      <Typography>
        <FormattedMessage
          id="coord.imports.template"
          values={{
            csv: (chunks) => <a href="/api/recommendations/imports/template?format=csv">{chunks}</a>,
            xlsx: (chunks) => <a href="/api/recommendations/imports/template?format=xlsx">{chunks}</a>,
          }}
        />
      </Typography>
    </Stack>
  );
}

function Counts({ record }: { record: ImportRecord }) {
  return (
    <FormattedMessage
      id="coord.import.countsLine"
      values={{
        created: record.created,
        updated: record.updated,
        unchanged: record.unchanged,
        rejected: record.rejected,
      }}
    />
  );
}

function UploadForm({ onStarted }: { onStarted: (record: ImportRecord) => void }) {
  const intl = useIntl();
  const upload = useUpload();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<string>('');
  const [documentSymbol, setDocumentSymbol] = useState('');
  const [state, setState] = useState('');
  const [session, setSession] = useState('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [errors, setErrors] = useState<ImportFormErrors>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);
  const message = (key?: string) => (key ? intl.formatMessage({ id: key }) : undefined);

  const submit = async (dryRun: boolean, event?: FormEvent) => {
    event?.preventDefault();
    const found = validateImportForm({ file, session });
    setErrors(found);
    if (Object.keys(found).length > 0 || !file) {
      document.getElementById(`import-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('dryRun', String(dryRun));
    form.append('skipInvalid', String(skipInvalid));
    if (format) form.append('format', format);
    if (documentSymbol.trim()) form.append('documentSymbol', documentSymbol.trim());
    if (state.trim()) form.append('stateUnderReview', state.trim());
    if (session.trim()) form.append('uprSession', session.trim());
    setBusy(true);
    setFailure(null);
    try {
      onStarted(await upload<ImportRecord>('/imports', form));
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box
      component="form"
      noValidate
      aria-labelledby="import-form-heading"
      onSubmit={(event) => void submit(true, event)}
    >
      <Typography variant="h5" component="h2" id="import-form-heading" gutterBottom>
        <FormattedMessage id="coord.imports.upload" />
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 640 }}>
        <Box>
          <Typography component="label" htmlFor="import-file" sx={{ display: 'block', fontWeight: 600 }}>
            <FormattedMessage id="coord.import.file" />
          </Typography>
          <input
            id="import-file"
            type="file"
            accept=".xlsx,.docx,.csv"
            aria-describedby="import-file-help"
            aria-invalid={Boolean(errors.file)}
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
          <FormHelperText id="import-file-help" error={Boolean(errors.file)}>
            {message(errors.file) ?? intl.formatMessage({ id: 'coord.import.fileHelp' })}
          </FormHelperText>
        </Box>
        <TextField
          id="import-format"
          select
          label={intl.formatMessage({ id: 'coord.import.format' })}
          value={format}
          onChange={(event) => setFormat(event.target.value)}
          slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
        >
          {FORMATS.map((value) => (
            <option key={value} value={value}>
              {intl.formatMessage({ id: `coord.import.format.${value || 'auto'}` })}
            </option>
          ))}
        </TextField>
        <Typography component="p" variant="body2">
          <FormattedMessage id="coord.import.matrixHelp" />
        </Typography>
        <TextField
          id="import-documentSymbol"
          label={intl.formatMessage({ id: 'coord.import.documentSymbol' })}
          value={documentSymbol}
          onChange={(event) => setDocumentSymbol(event.target.value)}
        />
        <TextField
          id="import-state"
          label={intl.formatMessage({ id: 'coord.import.state' })}
          value={state}
          onChange={(event) => setState(event.target.value)}
          helperText={intl.formatMessage({ id: 'coord.import.stateHelp' })}
        />
        <TextField
          id="import-session"
          label={intl.formatMessage({ id: 'coord.import.session' })}
          value={session}
          inputMode="numeric"
          onChange={(event) => setSession(event.target.value)}
          error={Boolean(errors.session)}
          helperText={message(errors.session) ?? ' '}
        />
        <FormControlLabel
          control={
            <Checkbox checked={skipInvalid} onChange={(event) => setSkipInvalid(event.target.checked)} />
          }
          label={intl.formatMessage({ id: 'coord.import.skipInvalid' })}
        />
        <Stack direction="row" spacing={2}>
          <Button type="submit" variant="contained" disabled={busy}>
            <FormattedMessage id="coord.import.preview" />
          </Button>
          <Button variant="outlined" disabled={busy} onClick={() => void submit(false)}>
            <FormattedMessage id="coord.import.now" />
          </Button>
        </Stack>
        {failure && <Failure error={failure} />}
      </Stack>
    </Box>
  );
}

function ImportDetail({
  record,
  expectedRows,
  onApplied,
}: {
  record: ImportRecord;
  expectedRows?: number;
  onApplied: (applied: ImportRecord, expected: number) => void;
}) {
  const api = useApi();
  const [failure, setFailure] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const settled = importSettled(record);
  const apply = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const applied = await api<ImportRecord>('recommendations', `/imports/${record.id}/apply`, {
        method: 'POST',
      });
      onApplied(applied, record.created + record.updated + record.unchanged);
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={2}>
      <ImportProgress record={record} expectedRows={expectedRows} />
      <Typography data-testid="import-status" data-status={record.status}>
        <FormattedMessage id={`coord.import.status.${record.status}`} /> — <Counts record={record} />
      </Typography>
      {record.error && <Alert severity="error">{record.error.message}</Alert>}
      {settled && record.status === 'previewed' && (
        <Box>
          <Button variant="contained" disabled={busy} onClick={() => void apply()}>
            <FormattedMessage id="coord.import.apply" />
          </Button>
        </Box>
      )}
      {failure && <Failure error={failure} />}
      {settled && <RowReport record={record} />}
    </Stack>
  );
}

/** The rows refused or read with a warning, and why, grouped by reason, then the refused rows one by one. */
function RowReport({ record }: { record: ImportRecord }) {
  const rejectedRows = useGet<{ items: ImportRow[]; total: number }>(
    'recommendations',
    record.rejected > 0 ? `/imports/${record.id}/rows?outcome=rejected&limit=100` : null,
  );
  const rejections = record.summary?.rejections ?? [];
  const warnings = record.summary?.warnings ?? [];
  return (
    <Box component="section" aria-labelledby="row-report-heading">
      <Typography variant="h6" component="h3" id="row-report-heading">
        <FormattedMessage id="coord.import.rowReport" />
      </Typography>
      {rejections.length === 0 && warnings.length === 0 ? (
        <Typography>
          <FormattedMessage id="coord.import.allRowsClean" />
        </Typography>
      ) : (
        <Table size="small" data-testid="import-reasons">
          <TableHead>
            <TableRow>
              <TableCell component="th" scope="col">
                <FormattedMessage id="coord.import.kind" />
              </TableCell>
              <TableCell component="th" scope="col">
                <FormattedMessage id="coord.import.reason" />
              </TableCell>
              <TableCell component="th" scope="col">
                <FormattedMessage id="coord.import.rows" />
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {[
              ...rejections.map((reason) => ({ reason, kind: 'coord.import.rejectedKind' })),
              ...warnings.map((reason) => ({ reason, kind: 'coord.import.warningKind' })),
            ].map(({ reason, kind }) => (
              <TableRow key={`${kind}:${reason.reason}`}>
                <TableCell>
                  <FormattedMessage id={kind} />
                </TableCell>
                <TableCell>
                  {reason.reason}
                  {reason.examples.length > 0 && (
                    <Typography variant="body2" component="span" sx={{ display: 'block' }}>
                      <FormattedMessage
                        id="coord.import.exampleRows"
                        values={{ rows: reason.examples.map((example) => example.rowNumber).join(', ') }}
                      />
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <FormattedMessage id="coord.import.rowCount" values={{ count: reason.count }} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {record.rejected > 0 && (
        <Show loaded={rejectedRows}>
          {({ items }) => (
            <Table size="small" sx={{ mt: 2 }} data-testid="import-rejected-rows">
              <caption>
                <FormattedMessage id="coord.import.rejectedRows" values={{ count: record.rejected }} />
              </caption>
              <TableHead>
                <TableRow>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.import.row" />
                  </TableCell>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.import.paragraph" />
                  </TableCell>
                  <TableCell component="th" scope="col">
                    <FormattedMessage id="coord.import.reason" />
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map((row) => (
                  <TableRow key={row.rowNumber}>
                    <TableCell>{row.rowNumber}</TableCell>
                    <TableCell>
                      {[row.documentSymbol, row.paragraph].filter(Boolean).join(' ') || '—'}
                    </TableCell>
                    <TableCell>{row.problems.join(' ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Show>
      )}
    </Box>
  );
}

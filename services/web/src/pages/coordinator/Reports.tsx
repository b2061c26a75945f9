import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useState, type FormEvent } from 'react';
import { FormattedDate, FormattedMessage, useIntl } from 'react-intl';
import { ListSection } from '../../components/ListSection';
import { Failure } from '../../components/Status';
import { useLocale } from '../../i18n/LocaleProvider';
import { LOCALE_NAMES, LOCALES } from '../../i18n/locales';
import {
  FORMATS_OF_KIND,
  useApi,
  useDownload,
  useGetAgain,
  type CompiledReport,
  type ReportKind,
} from './api';
import { focusFirstError } from './forms';
import { reportRequest, type ReportDraft, type ReportErrors } from './report-form';
import { usePoll } from './poll';

const KINDS: ReportKind[] = [
  'upr-annex',
  'treaty-follow-up',
  'task-list',
  'thematic-matrix',
  'action-progress',
];
const reportFinished = (report: CompiledReport) => report.status === 'ready' || report.status === 'failed';

/** Compile an annex, a follow-up report, a task list or a matrix; watch it compile; download it. */
export default function Reports() {
  const api = useApi();
  const [current, setCurrent] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const load = useCallback((id: string) => api<CompiledReport>('reporting', `/reports/${id}`), [api]);
  const polled = usePoll(current, load, reportFinished, 700);
  const history = useGetAgain<{ items: CompiledReport[] }>('reporting', '/reports?limit=10', version);
  const report = polled.state === 'idle' ? undefined : polled.value;
  return (
    <Stack spacing={3}>
      <Typography variant="h4" component="h1">
        <FormattedMessage id="coord.reports.heading" />
      </Typography>
      <CompileForm
        onRequested={(requested) => {
          setCurrent(requested.id);
          setVersion((n) => n + 1);
        }}
      />
      {current && (
        <Box component="section" aria-labelledby="current-report-heading">
          <Typography variant="h5" component="h2" id="current-report-heading" gutterBottom>
            <FormattedMessage id="coord.reports.current" />
          </Typography>
          {report ? <ReportState report={report} /> : <FormattedMessage id="common.loading" />}
          {polled.state === 'failed' && <Failure error={polled.error} retry={polled.retry} />}
        </Box>
      )}
      <ListSection
        id="reports-history-heading"
        heading="coord.reports.history"
        empty="coord.reports.none"
        columns={[
          'coord.reports.kind',
          'coord.reports.requested',
          'coord.reports.statusLabel',
          'coord.reports.file',
        ]}
        loaded={history}
        row={(item) => (
          <>
            <TableCell>
              <FormattedMessage id={`coord.reports.kind.${item.kind}`} /> ({item.format.toUpperCase()},{' '}
              {LOCALE_NAMES[item.language as keyof typeof LOCALE_NAMES] ?? item.language})
            </TableCell>
            <TableCell>
              <FormattedDate value={item.requestedAt} dateStyle="medium" timeStyle="short" />
            </TableCell>
            <TableCell>
              <FormattedMessage id={`coord.reports.status.${item.status}`} />
            </TableCell>
            <TableCell>{item.status === 'ready' && <DownloadButton report={item} />}</TableCell>
          </>
        )}
      />
    </Stack>
  );
}

function ReportState({ report }: { report: CompiledReport }) {
  const intl = useIntl();
  const percent = report.status === 'ready' ? 100 : report.progress;
  const status = intl.formatMessage({ id: `coord.reports.status.${report.status}` });
  return (
    <Stack spacing={1}>
      <Typography id="report-progress-label" component="p" sx={{ fontWeight: 600 }}>
        <FormattedMessage id={`coord.reports.kind.${report.kind}`} /> ({report.format.toUpperCase()})
      </Typography>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-labelledby="report-progress-label"
        aria-valuetext={`${intl.formatNumber(percent / 100, { style: 'percent' })} — ${status}`}
        data-testid="report-progress"
        data-status={report.status}
        sx={{ height: 12, borderRadius: 1 }}
      />
      <Typography role="status" aria-live="polite">
        {status}
      </Typography>
      {report.status === 'failed' && report.error && <Failure error={new Error(report.error)} />}
      {report.status === 'ready' && (
        <Box>
          <DownloadButton report={report} primary />
        </Box>
      )}
    </Stack>
  );
}

function DownloadButton({ report, primary = false }: { report: CompiledReport; primary?: boolean }) {
  const download = useDownload();
  const [failure, setFailure] = useState<Error | null>(null);
  const name = report.fileName ?? `${report.kind}.${report.format}`;
  return (
    <>
      <Button
        variant={primary ? 'contained' : 'text'}
        sx={{ textTransform: 'none' }}
        onClick={() => {
          setFailure(null);
          download(`/reports/${report.id}/file`, name).catch((error: Error) => setFailure(error));
        }}
      >
        <FormattedMessage id="coord.reports.download" values={{ name }} />
      </Button>
      {failure && <Failure error={failure} />}
    </>
  );
}

function CompileForm({ onRequested }: { onRequested: (report: CompiledReport) => void }) {
  const intl = useIntl();
  const api = useApi();
  const { locale } = useLocale();
  const [draft, setDraft] = useState<ReportDraft>({
    kind: 'upr-annex',
    format: 'docx',
    language: locale,
    state: '',
    cycle: '',
    institution: '',
    committee: '',
    documentSymbol: '',
    paragraphs: '',
    groupBy: 'theme',
  });
  const [errors, setErrors] = useState<ReportErrors>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);
  const formats = FORMATS_OF_KIND[draft.kind];
  const set = (change: Partial<ReportDraft>) => setDraft((previous) => ({ ...previous, ...change }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { body, errors: found } = reportRequest(draft);
    setErrors(found);
    if (!body) return focusFirstError('report', found);
    setBusy(true);
    setFailure(null);
    try {
      onRequested(
        await api<CompiledReport>('reporting', '/reports', { method: 'POST', body: JSON.stringify(body) }),
      );
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };

  const text = (name: keyof ReportErrors & keyof ReportDraft, help?: string) => (
    <TextField
      id={`report-${name}`}
      required={name !== 'paragraphs'}
      label={intl.formatMessage({ id: `coord.reports.${name}` })}
      value={draft[name]}
      onChange={(event) => set({ [name]: event.target.value })}
      error={Boolean(errors[name])}
      helperText={
        errors[name]
          ? intl.formatMessage({ id: errors[name] })
          : help
            ? intl.formatMessage({ id: help })
            : ' '
      }
    />
  );
  const native = { select: { native: true }, inputLabel: { shrink: true } } as const;

  return (
    <Box
      component="form"
      noValidate
      aria-labelledby="compile-heading"
      onSubmit={(event) => void submit(event)}
    >
      <Typography variant="h5" component="h2" id="compile-heading" gutterBottom>
        <FormattedMessage id="coord.reports.compile" />
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 640 }}>
        <TextField
          id="report-kind"
          select
          label={intl.formatMessage({ id: 'coord.reports.kind' })}
          value={draft.kind}
          onChange={(event) => {
            const kind = event.target.value as ReportKind;
            set({ kind, format: FORMATS_OF_KIND[kind][0] ?? 'pdf' });
          }}
          slotProps={native}
        >
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {intl.formatMessage({ id: `coord.reports.kind.${kind}` })}
            </option>
          ))}
        </TextField>
        <TextField
          id="report-format"
          select
          label={intl.formatMessage({ id: 'coord.reports.format' })}
          value={draft.format}
          onChange={(event) => set({ format: event.target.value })}
          slotProps={native}
        >
          {formats.map((format) => (
            <option key={format} value={format}>
              {format.toUpperCase()}
            </option>
          ))}
        </TextField>
        {draft.kind !== 'action-progress' && (
          <TextField
            id="report-language"
            select
            label={intl.formatMessage({ id: 'coord.reports.language' })}
            value={draft.language}
            onChange={(event) => set({ language: event.target.value })}
            slotProps={native}
          >
            {LOCALES.map((option) => (
              <option key={option} value={option} lang={option}>
                {LOCALE_NAMES[option]}
              </option>
            ))}
          </TextField>
        )}
        {(draft.kind === 'upr-annex' ||
          draft.kind === 'thematic-matrix' ||
          draft.kind === 'treaty-follow-up') &&
          text('state', 'coord.reports.stateHelp')}
        {(draft.kind === 'upr-annex' || draft.kind === 'thematic-matrix') && (
          <>
            {text('cycle')}
            <TextField
              id="report-groupBy"
              select
              label={intl.formatMessage({ id: 'coord.reports.groupBy' })}
              value={draft.groupBy}
              onChange={(event) => set({ groupBy: event.target.value })}
              slotProps={native}
            >
              {['theme', 'cluster'].map((value) => (
                <option key={value} value={value}>
                  {intl.formatMessage({ id: `coord.reports.groupBy.${value}` })}
                </option>
              ))}
            </TextField>
          </>
        )}
        {(draft.kind === 'task-list' || draft.kind === 'action-progress') && text('institution')}
        {draft.kind === 'treaty-follow-up' && (
          <>
            {text('committee')}
            {text('documentSymbol')}
            {text('paragraphs', 'coord.reports.paragraphsHelp')}
          </>
        )}
        <Box>
          <Button type="submit" variant="contained" disabled={busy}>
            <FormattedMessage id="coord.reports.compileSubmit" />
          </Button>
        </Box>
        {failure && <Failure error={failure} />}
      </Stack>
    </Box>
  );
}

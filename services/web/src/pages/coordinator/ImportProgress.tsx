import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { useIntl } from 'react-intl';
import { importPercent, type ImportRecord } from './api';

/** The import's bar: its phase, the rows written so far, and the share done as a number screen readers read. */
export function ImportProgress({ record, expectedRows }: { record: ImportRecord; expectedRows?: number }) {
  const intl = useIntl();
  const labelId = useId();
  const percent = importPercent(record, expectedRows);
  const phase = intl.formatMessage({ id: `coord.import.phase.${record.phase}` });
  const rows = intl.formatMessage({ id: 'coord.import.rowsApplied' }, { count: record.rowsApplied });
  return (
    <Box>
      <Typography id={labelId} component="p" sx={{ fontWeight: 600 }}>
        {intl.formatMessage({ id: 'coord.import.progress' }, { phase })}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={percent}
        aria-labelledby={labelId}
        aria-valuetext={`${intl.formatNumber(percent / 100, { style: 'percent' })} — ${phase} — ${rows}`}
        data-testid="import-progress"
        data-phase={record.phase}
        data-import={record.id}
        sx={{ height: 12, borderRadius: 1, my: 1 }}
      />
      <Typography component="p" role="status" aria-live="polite">
        {phase} · {rows}
      </Typography>
    </Box>
  );
}

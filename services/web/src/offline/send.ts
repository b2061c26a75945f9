import { useEffect } from 'react';
import { ApiError, useApi } from '../api/client';
import { flushOnce, type Outcome, type QueuedReport } from './outbox';

type Api = ReturnType<typeof useApi>;
type Draft = { id: string; version: number };

/** A report to send: its words, its indicator values and, when online, one evidence file. */
export type ReportToSend = Pick<
  QueuedReport,
  'actionId' | 'narrative' | 'percentage' | 'final' | 'measurements' | 'draft'
> & { file?: File };

/**
 * Writes the draft, attaches the file and the measurements, then submits it to the validator. `remember`
 * hears of the draft as soon as it exists, so that a retry does not write a second one.
 */
export async function sendReport(api: Api, report: ReportToSend, remember?: (draft: Draft) => void) {
  let draft = report.draft;
  if (!draft) {
    const created = await api<Draft>('actions', `/actions/${report.actionId}/progress-reports`, {
      method: 'POST',
      body: JSON.stringify({
        narrative: report.narrative,
        percentage: report.percentage,
        final: report.final,
      }),
    });
    draft = { id: created.id, version: created.version };
    remember?.(draft);
    if (report.file) {
      const attached = await api<Draft>(
        'actions',
        `/progress-reports/${draft.id}/evidence?name=${encodeURIComponent(report.file.name)}`,
        {
          method: 'POST',
          body: report.file,
          headers: { 'content-type': 'application/octet-stream', 'if-match': `"${draft.version}"` },
        },
      );
      draft = { id: draft.id, version: attached.version };
    }
    for (const measurement of report.measurements)
      await api('actions', `/indicators/${measurement.indicatorId}/measurements`, {
        method: 'POST',
        body: JSON.stringify({ ...measurement, indicatorId: undefined, progressReportId: draft.id }),
      });
  }
  try {
    await api('actions', `/progress-reports/${draft.id}/submit`, { method: 'POST' });
  } catch (error) {
    // A retry after a lost answer: the report is already past its draft, so it did arrive.
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    const current = await api<{ status: string }>('actions', `/progress-reports/${draft.id}`);
    if (current.status === 'draft') throw error;
  }
}

/** Refused for good: a 4xx other than an expired sign-in, timeouts and rate limits. Anything else is tried again later. */
export function outcomeOf(error: unknown): Outcome {
  if (
    error instanceof ApiError &&
    error.status >= 400 &&
    error.status < 500 &&
    ![401, 408, 425, 429].includes(error.status)
  ) {
    const message = (error.body as { message?: unknown } | undefined)?.message;
    return { refused: typeof message === 'string' ? message : `HTTP ${error.status}` };
  }
  return 'later';
}

export const deliverWith =
  (api: Api) =>
  async (item: QueuedReport, remember: (draft: Draft) => void): Promise<Outcome> => {
    try {
      await sendReport(api, item, remember);
      return 'sent';
    } catch (error) {
      return outcomeOf(error);
    }
  };

/** Sends the queue now if online, and again whenever the browser comes back online. */
export function useOutboxSender(): void {
  const api = useApi();
  useEffect(() => {
    const deliver = deliverWith(api);
    const run = () => {
      if (navigator.onLine) void flushOnce(deliver);
    };
    run();
    window.addEventListener('online', run);
    return () => window.removeEventListener('online', run);
  }, [api]);
}

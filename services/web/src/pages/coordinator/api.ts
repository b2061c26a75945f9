// What the coordinator's pages read and write, in the services' own shapes.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, useApi, type Loaded, type Service } from '../../api/client';
import { useAuth } from '../../auth/AuthProvider';

export type ImportStatus = 'queued' | 'running' | 'previewed' | 'applied' | 'rejected' | 'failed';
export type ImportPhase =
  'queued' | 'reading' | 'planning' | 'applying' | 'linking' | 'done' | 'failed' | 'refused';

export interface ReasonCount {
  reason: string;
  count: number;
  examples: { rowNumber: number; message: string }[];
}

export interface ImportRecord {
  id: string;
  format: string;
  filename: string;
  dryRun: boolean;
  skipInvalid: boolean;
  status: ImportStatus;
  phase: ImportPhase;
  rowsRead: number;
  rowsApplied: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  error: { code: string; message: string } | null;
  linksStatus: 'queued' | 'running' | 'done' | 'failed' | null;
  previewOf: string | null;
  startedAt: string;
  finishedAt: string | null;
  summary?: { message: string; rejections: ReasonCount[]; warnings: ReasonCount[] };
}

export interface ImportRow {
  rowNumber: number;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected' | 'skipped';
  recommendationId: string | null;
  documentSymbol: string | null;
  paragraph: string | null;
  problems: string[];
  warnings: string[];
}

export const IMPORT_FINISHED: ReadonlySet<ImportStatus> = new Set([
  'previewed',
  'applied',
  'rejected',
  'failed',
]);

/** Finished, and its link detection too (the last phase a coordinator watches). */
export const importSettled = (record: ImportRecord) =>
  IMPORT_FINISHED.has(record.status) && record.linksStatus !== 'queued' && record.linksStatus !== 'running';

/** Where a phase sits on the bar, in per cent: the rows of the applying phase fill the space between. */
const PHASE_AT: Record<ImportPhase, number> = {
  queued: 0,
  reading: 10,
  planning: 25,
  applying: 40,
  linking: 90,
  done: 100,
  failed: 100,
  refused: 100,
};

/**
 * The bar's value for an import. While rows are applied, the share of `expectedRows` (the preview's
 * count, when the import applies a preview) written so far moves it from 40 to 90 per cent.
 */
export function importPercent(record: ImportRecord, expectedRows?: number): number {
  if (IMPORT_FINISHED.has(record.status) && record.phase !== 'linking') return 100;
  if (record.phase === 'linking' && record.linksStatus !== 'queued' && record.linksStatus !== 'running')
    return 100;
  const at = PHASE_AT[record.phase] ?? 0;
  if (record.phase === 'applying' && expectedRows && expectedRows > 0) {
    const share = Math.min(1, record.rowsApplied / expectedRows);
    return Math.round(at + share * (PHASE_AT.linking - at));
  }
  return at;
}

export interface Institution {
  id: string;
  kind: string;
  parentId: string | null;
  names: Partial<Record<string, string>> & { en: string };
  acronym: string | null;
  active: boolean;
  focalPointIds?: string[];
  validatorIds?: string[];
  needsReview?: boolean;
}

export interface Plan {
  id: string;
  state: string;
  title: string;
  kind: string;
  periodStart: string;
  periodEnd: string;
  description?: string;
  published: boolean;
  version: number;
}

export interface Action {
  id: string;
  recommendationIds?: string[];
  title: string;
  description?: string;
  status: string;
  institution: string | null;
  supportingInstitutions?: string[];
  dueAt: string | null;
  planId?: string | null;
  version: number;
}

export interface ProgressReport {
  id: string;
  actionId: string;
  institutionId: string;
  status: string;
  percentage: number;
  narrative: string;
  final: boolean;
  createdAt: string;
  approvedAt: string | null;
  version: number;
}

export type ReportKind =
  'upr-annex' | 'treaty-follow-up' | 'task-list' | 'thematic-matrix' | 'action-progress';
export type ReportStatus = 'queued' | 'compiling' | 'ready' | 'failed';

export interface CompiledReport {
  id: string;
  kind: ReportKind;
  format: string;
  language: string;
  status: ReportStatus;
  progress: number;
  fileName: string | null;
  error: string | null;
  requestedAt: string;
  compiledAt: string | null;
}

/** The formats each kind is produced in (reporting's `FORMATS_OF_KIND`). */
export const FORMATS_OF_KIND: Record<ReportKind, readonly string[]> = {
  'upr-annex': ['docx', 'pdf', 'xlsx'],
  'treaty-follow-up': ['docx', 'pdf'],
  'task-list': ['pdf', 'xlsx'],
  'thematic-matrix': ['docx', 'xlsx'],
  'action-progress': ['csv'],
};

/** The institution's name in the reader's language, else in English. */
export const nameOf = (institution: Institution, locale: string) =>
  institution.names[locale] || institution.names.en;

/** The ETag the services expect in If-Match. */
export const etag = (version: number) => `"${version}"`;

/** An upload: multipart bodies must not go through `useApi`, which sends JSON. */
export function useUpload() {
  const { accessToken } = useAuth();
  return useCallback(
    async <T>(path: string, form: FormData): Promise<T> => {
      const token = await accessToken();
      const headers = new Headers({ accept: 'application/json' });
      if (token) headers.set('authorization', `Bearer ${token}`);
      const response = await fetch(`/api/recommendations${path}`, { method: 'POST', body: form, headers });
      const body = await response.json().catch(() => undefined);
      if (!response.ok) throw new ApiError(response.status, body);
      return body as T;
    },
    [accessToken],
  );
}

/** Downloads a file the API serves only with the token: fetched, then saved under its own name. */
export function useDownload() {
  const { accessToken } = useAuth();
  return useCallback(
    async (path: string, fallbackName: string): Promise<void> => {
      const token = await accessToken();
      const headers = new Headers();
      if (token) headers.set('authorization', `Bearer ${token}`);
      const response = await fetch(`/api/reporting${path}`, { headers });
      if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => undefined));
      const disposition = response.headers.get('content-disposition') ?? '';
      const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    [accessToken],
  );
}

/**
 * One GET, asked again when `version` changes (after a write the page made), keeping the shown data
 * while the new answer comes: the APIs refuse unknown query parameters, so a cache-buster cannot do it.
 */
export function useGetAgain<T>(service: Service, path: string | null, version: number): Loaded<T> {
  const api = useApi();
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    if (path === null) return;
    let current = true;
    api<T>(service, path).then(
      (data) => current && setResult({ state: 'done', data, reload: () => setAttempt((n) => n + 1) }),
      (error: Error) =>
        current && setResult({ state: 'failed', error, retry: () => setAttempt((n) => n + 1) }),
    );
    return () => {
      current = false;
    };
  }, [api, service, path, version, attempt]);
  return result;
}

export { useApi };

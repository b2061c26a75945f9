import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocaleProvider } from '../../i18n/LocaleProvider';
import { importPercent, importSettled, type ImportRecord } from './api';
import { ImportProgress } from './ImportProgress';
import { poll } from './poll';

const record = (change: Partial<ImportRecord>): ImportRecord => ({
  id: 'a1b2',
  format: 'upr_matrix',
  filename: 'slovenia.docx',
  dryRun: false,
  skipInvalid: false,
  status: 'running',
  phase: 'reading',
  rowsRead: 0,
  rowsApplied: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  error: null,
  linksStatus: null,
  previewOf: null,
  startedAt: '2026-11-30T04:00:00Z',
  finishedAt: null,
  ...change,
});

const ignore = () => undefined;

describe('polling', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks again after each answer until the value is finished, one request at a time', async () => {
    const answers = [1, 2, 3, 4];
    let inFlight = 0;
    let mostInFlight = 0;
    const load = vi.fn(async () => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await Promise.resolve();
      inFlight -= 1;
      return answers.shift() ?? 0;
    });
    const seen: number[] = [];
    poll({
      load,
      finished: (n) => n === 3,
      onValue: (n) => seen.push(n),
      onError: ignore,
      intervalMs: 500,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([1]);
    await vi.advanceTimersByTimeAsync(499);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(seen).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(seen).toEqual([1, 2, 3]);
    expect(load).toHaveBeenCalledTimes(3);
    expect(mostInFlight).toBe(1);
  });

  it('stops on a failed request and reports it, and stops when told to', async () => {
    const errors: Error[] = [];
    const failing = vi.fn().mockResolvedValueOnce(1).mockRejectedValueOnce(new Error('HTTP 502'));
    poll({
      load: failing,
      finished: () => false,
      onValue: ignore,
      onError: (e) => errors.push(e),
      intervalMs: 100,
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(errors.map((e) => e.message)).toEqual(['HTTP 502']);
    expect(failing).toHaveBeenCalledTimes(2);

    const load = vi.fn().mockResolvedValue(1);
    const stop = poll({ load, finished: () => false, onValue: ignore, onError: ignore, intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(250);
    stop();
    const calls = load.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(load).toHaveBeenCalledTimes(calls);
  });
});

describe("an import's progress", () => {
  it('moves through the phases and, applying a preview, with the rows written', () => {
    expect(importPercent(record({ status: 'queued', phase: 'queued' }))).toBe(0);
    expect(importPercent(record({ phase: 'reading' }))).toBe(10);
    expect(importPercent(record({ phase: 'applying', rowsApplied: 100 }))).toBe(40);
    expect(importPercent(record({ phase: 'applying', rowsApplied: 100 }), 200)).toBe(65);
    expect(importPercent(record({ phase: 'applying', rowsApplied: 500 }), 200)).toBe(90);
    expect(importPercent(record({ status: 'applied', phase: 'linking', linksStatus: 'running' }))).toBe(90);
    expect(importPercent(record({ status: 'applied', phase: 'linking', linksStatus: 'done' }))).toBe(100);
    expect(importPercent(record({ status: 'previewed', phase: 'done' }))).toBe(100);
    expect(importPercent(record({ status: 'failed', phase: 'failed' }))).toBe(100);
  });

  it('is settled only once finished and linked', () => {
    expect(importSettled(record({ status: 'running' }))).toBe(false);
    expect(importSettled(record({ status: 'applied', linksStatus: 'queued' }))).toBe(false);
    expect(importSettled(record({ status: 'applied', linksStatus: 'done' }))).toBe(true);
    expect(importSettled(record({ status: 'rejected' }))).toBe(true);
  });
});

describe('the progress bar', () => {
  afterEach(cleanup);

  it('tells screen readers the share, the phase and the rows written, in the reader’s language', async () => {
    const view = (locale: 'en' | 'ar') =>
      render(
        <LocaleProvider initial={locale}>
          <ImportProgress record={record({ phase: 'applying', rowsApplied: 2 })} expectedRows={4} />
        </LocaleProvider>,
      );
    view('en');
    const bar = await screen.findByRole('progressbar', { name: 'Progress: writing the rows' });
    expect(bar.getAttribute('aria-valuenow')).toBe('65');
    expect(bar.getAttribute('aria-valuetext')).toBe('65% — writing the rows — 2 rows written');
    cleanup();
    await act(async () => {
      view('ar');
    });
    const arabic = await screen.findByRole('progressbar', { name: 'التقدم: كتابة الصفوف' });
    expect(arabic.getAttribute('aria-valuetext')).toContain('كُتب صفّان');
    expect(arabic.getAttribute('aria-valuetext')).toContain('٦٥');
  });
});

import { useEffect, useState } from 'react';

/**
 * Progress reports written without a connection wait here (localStorage, so they outlive a closed tab
 * or a restarted phone) until the page is online again and sends them. Files are not queued: they can
 * be large, and localStorage is small.
 */
export interface QueuedReport {
  key: string;
  actionId: string;
  actionTitle: string;
  narrative: string;
  percentage: number;
  final: boolean;
  /** Values for the action's indicators, given in the report. */
  measurements: { indicatorId: string; value: number; date: string }[];
  queuedAt: string;
  /** Set once the draft exists, so a retry after a cut connection submits it instead of writing another. */
  draft?: { id: string; version: number };
  /** The API refused it (a 4xx): it stays, shown, until the person discards it. */
  refusal?: string;
}

export type NewReport = Omit<QueuedReport, 'key' | 'queuedAt' | 'draft' | 'refusal'>;

const STORAGE_KEY = 'nmirf.outbox';
const CHANGED = 'nmirf-outbox-changed';

export function queuedReports(storage: Storage = localStorage): QueuedReport[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as QueuedReport[]) : [];
  } catch {
    return [];
  }
}

function save(items: QueuedReport[], storage: Storage): void {
  if (items.length === 0) storage.removeItem(STORAGE_KEY);
  else storage.setItem(STORAGE_KEY, JSON.stringify(items));
  globalThis.dispatchEvent?.(new Event(CHANGED));
}

function update(key: string, change: (item: QueuedReport) => QueuedReport | null, storage: Storage) {
  save(
    queuedReports(storage).flatMap((item) => {
      if (item.key !== key) return [item];
      const changed = change(item);
      return changed ? [changed] : [];
    }),
    storage,
  );
}

export function enqueueReport(
  report: NewReport,
  storage: Storage = localStorage,
  now = new Date(),
): QueuedReport {
  const item: QueuedReport = {
    ...report,
    key: `${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
    queuedAt: now.toISOString(),
  };
  save([...queuedReports(storage), item], storage);
  return item;
}

export function discardReport(key: string, storage: Storage = localStorage): void {
  update(key, () => null, storage);
}

/** The three ways a delivery ends: sent, refused for good, or not now (no network, server down). */
export type Outcome = 'sent' | { refused: string } | 'later';

/**
 * Sends what is queued, oldest first, and stops at the first "later" (the network is gone again).
 * `deliver` calls the API; `remember` lets it record the draft between its steps.
 */
export async function flushOutbox(
  deliver: (
    item: QueuedReport,
    remember: (draft: { id: string; version: number }) => void,
  ) => Promise<Outcome>,
  storage: Storage = localStorage,
): Promise<{ sent: number; refused: number; left: number }> {
  let sent = 0;
  let refused = 0;
  for (const item of queuedReports(storage)) {
    if (item.refusal) continue;
    const outcome = await deliver(item, (draft) =>
      update(item.key, (current) => ({ ...current, draft }), storage),
    );
    if (outcome === 'later') break;
    if (outcome === 'sent') {
      sent += 1;
      discardReport(item.key, storage);
    } else {
      refused += 1;
      update(item.key, (current) => ({ ...current, refusal: outcome.refused }), storage);
    }
  }
  return { sent, refused, left: queuedReports(storage).length };
}

let running: Promise<unknown> | null = null;

/** One flush at a time in this tab, and across tabs where the browser has Web Locks. */
export function flushOnce(deliver: Parameters<typeof flushOutbox>[0]): Promise<unknown> {
  if (running) return running;
  const work = () => flushOutbox(deliver);
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  running = (locks ? locks.request('nmirf-outbox', work) : work()).finally(() => {
    running = null;
  });
  return running;
}

/** The queue as it changes, in this tab and in others. */
export function useOutbox(): QueuedReport[] {
  const [items, setItems] = useState(() => queuedReports());
  useEffect(() => {
    const refresh = () => setItems(queuedReports());
    window.addEventListener(CHANGED, refresh);
    window.addEventListener('storage', refresh);
    return () => {
      window.removeEventListener(CHANGED, refresh);
      window.removeEventListener('storage', refresh);
    };
  }, []);
  return items;
}

/** Whether the browser says it is online, as it changes. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => globalThis.navigator?.onLine ?? true);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

import { http } from './http';
import { waitFor, type WaitOptions } from './wait';

/** Import statuses after which the worker does nothing more with the import itself. */
const FINISHED = new Set(['previewed', 'applied', 'rejected', 'failed']);

/**
 * Waits until the recommendations worker has finished an import (`POST /imports` answers 202 at once)
 * and returns it as `GET /imports/{id}` shows it. `links: true` also waits for its link detection.
 */
export async function awaitImport<T = any>(
  recommendationsUrl: string,
  id: string,
  {
    links = false,
    headers = {},
    ...wait
  }: WaitOptions & { links?: boolean; headers?: Record<string, string> } = {},
): Promise<T> {
  return waitFor(
    `import ${id} to finish`,
    async () => {
      const response = await http('GET', `${recommendationsUrl}/imports/${id}`, undefined, headers);
      if (response.status !== 200) throw new Error(`GET /imports/${id}: ${response.status}`);
      const { status, linksStatus } = response.body as { status: string; linksStatus: string | null };
      if (!FINISHED.has(status)) return undefined;
      if (links && (linksStatus === 'queued' || linksStatus === 'running')) return undefined;
      return response.body as T;
    },
    { timeoutMs: 120_000, intervalMs: 200, ...wait },
  );
}

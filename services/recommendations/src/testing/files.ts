// Test-only (excluded from the build): file checks the format readers' tests share.
import { existsSync, readdirSync, readlinkSync } from 'node:fs';

/** A missing sample fails the tests that read it: they must not be skipped silently. */
export function requireSamples(...files: string[]): void {
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length > 0)
    throw new Error(`Sample file missing (shipped in infra/seed/slovenia): ${missing.join(', ')}`);
}

/**
 * This process's descriptors open on `file` (or, with `prefix`, on any path starting with it). Linux
 * only, like the product: elsewhere it throws, so the test fails instead of passing without looking.
 */
export function openDescriptors(file: string, match: 'exact' | 'prefix' = 'exact'): string[] {
  if (!existsSync('/proc/self/fd'))
    throw new Error(
      'Counting open files needs /proc/self/fd: run this test on Linux, the platform the product targets',
    );
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return match === 'exact' ? target === file : target.startsWith(file);
    } catch {
      return false; // closed between the listing and the lookup
    }
  });
}

import { mkdirSync } from 'node:fs';
import { chaosDir } from './results';

/** One run id for every chaos file of this jest run, so the teardown can print one table. */
export default function globalSetup(): void {
  process.env.CHAOS_RUN_ID ??= new Date().toISOString().replace(/[:.]/g, '-');
  mkdirSync(chaosDir, { recursive: true });
}

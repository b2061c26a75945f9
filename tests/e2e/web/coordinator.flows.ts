// The coordinator: imports with progress, planning for two ministries, review, reports compiled and downloaded.
import type { WebHarness } from './harness';

export function coordinatorFlows(web: WebHarness): void {
  void web;
}

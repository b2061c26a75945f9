// Focal points (also in Arabic and offline), validators, NHRIs and civil society.
import type { WebHarness } from './harness';

export function participantFlows(web: WebHarness): void {
  void web;
}

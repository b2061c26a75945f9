// The public portal, without sign-in: published items only.
import type { WebHarness } from './harness';

export function publicFlows(web: WebHarness): void {
  void web;
}

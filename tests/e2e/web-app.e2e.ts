// The web application in a real browser (Debian's Chromium through playwright-core) against the real
// stack and the real Keycloak. One stack serves every area's flows (web/*.flows.ts): each flow signs
// in on Keycloak's page as a person would, checks the page against the APIs, runs axe (no serious
// violation) and writes screenshots under tmp/screenshots/.
import { coordinatorFlows } from './web/coordinator.flows';
import { dashboardAndTaskFlows } from './web/dashboard-and-tasks.flows';
import { WebHarness } from './web/harness';
import { keyboardFlows } from './web/keyboard.flows';
import { participantFlows } from './web/participants.flows';
import { publicFlows } from './web/public.flows';
import { sharedPageFlows } from './web/shared-pages.flows';

describe('the web application', () => {
  const web = new WebHarness();
  beforeAll(() => web.start());
  afterAll(() => web.stop());

  describe('dashboard and tasks', () => dashboardAndTaskFlows(web));
  describe('coordinator', () => coordinatorFlows(web));
  describe('participants', () => participantFlows(web));
  describe('public portal', () => publicFlows(web));
  describe('keyboard alone', () => keyboardFlows(web));
  describe('shared pages', () => sharedPageFlows(web));
});

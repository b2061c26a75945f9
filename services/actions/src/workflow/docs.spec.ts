import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineSize, renderDocs } from './describe';
import { renderMermaid } from './diagram';
import { WORKFLOW_EVENT_TYPES } from './events';

describe('the workflow description', () => {
  it('counts the machine from its data', () => {
    const size = machineSize();
    expect(size).toEqual({
      actionStates: 8,
      reportStates: 6,
      states: 14,
      commands: 16,
      transitions: 27,
      roles: 7,
      parties: 4,
      events: 16,
      statesTimesTransitionsTimesRoles: 14 * 27 * 7,
    });
    console.log(`workflow size: ${JSON.stringify(size)}`);
  });

  it('names each event once, versioned', () => {
    expect(new Set(WORKFLOW_EVENT_TYPES).size).toBe(WORKFLOW_EVENT_TYPES.length);
    for (const type of WORKFLOW_EVENT_TYPES)
      expect(type).toMatch(/^(action|progress_report)\.[a-z_]+\.v\d+$/);
  });

  it('draws the action machine with its start and its one end state', () => {
    const diagram = renderMermaid('action').split('\n');
    expect(diagram[0]).toBe('stateDiagram-v2');
    expect(diagram).toContain('  [*] --> proposed: propose (coordinator)');
    expect(diagram).toContain('  assigned --> declined: decline (lead focal point)');
    expect(diagram).toContain('  in_progress --> completed: acceptReport, final report (coordinator)');
    expect(diagram.filter((line) => line.endsWith('--> [*]'))).toEqual(['  cancelled --> [*]']);
  });

  it('keeps README.md in step with the rules (npx ts-node describe.ts --docs writes the part to paste)', () => {
    const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');
    expect(readme).toContain(renderDocs());
  });
});

import type { Party } from './actor';
import { REQUIRED_TEXT } from './commands';
import { ACTION_STATUSES, REPORT_STATUSES, REPORTS_MOVE_WHILE } from './states';
import { TRANSITIONS, type Transition } from './transitions';

const PARTY_LABELS: Record<Party, string> = {
  coordinator: 'coordinator',
  lead_focal_point: 'lead focal point',
  report_focal_point: "reporting institution's focal point",
  report_validator: "reporting institution's validator",
};

const who = (rule: Transition) => rule.by.map((party) => PARTY_LABELS[party]).join(', ');
const what = (rule: Transition) => (rule.when ? `${rule.command}, ${rule.when}` : rule.command);

/** A Mermaid stateDiagram of one machine, drawn from TRANSITIONS. */
export function renderMermaid(machine: Transition['machine']): string {
  const rules = TRANSITIONS.filter((rule) => rule.machine === machine);
  const statuses: readonly string[] = machine === 'action' ? ACTION_STATUSES : REPORT_STATUSES;
  const ends = statuses.filter((status) => !rules.some((rule) => rule.from === status));
  return [
    'stateDiagram-v2',
    ...rules.map((rule) => `  ${rule.from ?? '[*]'} --> ${rule.to}: ${what(rule)} (${who(rule)})`),
    ...ends.map((status) => `  ${status} --> [*]`),
  ].join('\n');
}

/** Who may do what, one row per command and target status, as a Markdown table. */
export function renderPermissionTable(): string {
  const rows = new Map<string, { rule: Transition; from: string[] }>();
  for (const rule of TRANSITIONS) {
    const key = `${rule.machine} ${rule.command} ${rule.to} ${rule.when ?? ''}`;
    const row = rows.get(key) ?? { rule, from: [] };
    row.from.push(rule.from ?? '(new)');
    rows.set(key, row);
  }
  return [
    '| machine | command | from | to | who | must carry | event |',
    '|---|---|---|---|---|---|---|',
    ...[...rows.values()].map(({ rule, from }) => {
      const text = rule.command === 'propose' ? undefined : REQUIRED_TEXT[rule.command];
      const cells = [rule.machine, what(rule), from.join(', '), rule.to, who(rule), text ?? '', rule.event];
      return `| ${cells.join(' | ')} |`;
    }),
  ].join('\n');
}

/** Report transitions also need the action to be in this status. */
export const REPORT_CONDITION = `Every report transition needs the action to be ${REPORTS_MOVE_WHILE}.`;

import { TRANSITIONS, type ActionStatus, type ActionTransition, type CommandType } from '../workflow';

/** Commands a progress report may take on the way; assigning is the coordinator's separate decision. */
const STEPS = TRANSITIONS.filter(
  (rule): rule is ActionTransition & { from: ActionStatus } =>
    rule.machine === 'action' &&
    rule.from !== null &&
    rule.command !== 'assign' &&
    rule.command !== 'acceptReport',
);

/**
 * The workflow commands that take an action from `from` to `to` by the fewest steps, for
 * `POST /actions/{id}/progress`, which names only the status wanted (e.g. assigned → completed is
 * acknowledge, start, complete). Empty when they are the same; null when no path leads there without
 * a new assignment. Each step is still decided by the workflow, for the caller.
 */
export function progressPath(from: ActionStatus, to: ActionStatus): CommandType[] | null {
  if (from === to) return [];
  const reached = new Map<ActionStatus, CommandType[]>([[from, []]]);
  const queue: ActionStatus[] = [from];
  for (let status = queue.shift(); status !== undefined; status = queue.shift()) {
    for (const rule of STEPS) {
      if (rule.from !== status || reached.has(rule.to)) continue;
      const path = [...(reached.get(status) ?? []), rule.command as CommandType];
      if (rule.to === to) return path;
      reached.set(rule.to, path);
      queue.push(rule.to);
    }
  }
  return null;
}

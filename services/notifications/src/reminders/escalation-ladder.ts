import type { AlertSettings, EscalationRung } from './alert-settings';
import { escalationOffsets } from './reminder-plan';

/** One step of an overdue action's escalation ladder. */
export interface EscalationStep {
  /** From 1. */
  step: number;
  rung: EscalationRung;
  /** The inbox told at this step: the responsible institution's, or the coordinator's. */
  notifiedInstitution: string;
}

/**
 * The step an escalation job stands for, from its key in reminders_sent; null when ESCALATION_LADDER
 * or ESCALATE_AFTER changed since the job was planned and no step has that key any more.
 */
export function escalationStep(
  settings: AlertSettings,
  offsetSeconds: number,
  institution: string,
): EscalationStep | null {
  const index = escalationOffsets(settings).indexOf(offsetSeconds);
  const rung = index < 0 ? undefined : settings.escalationLadder[index];
  if (!rung) return null;
  return {
    step: index + 1,
    rung,
    notifiedInstitution: rung === 'coordinator' ? settings.coordinatorInstitution : institution,
  };
}

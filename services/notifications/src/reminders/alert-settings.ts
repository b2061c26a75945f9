import type { ReminderSettings } from './reminder-plan';

/** Who is told at a step of the escalation ladder. */
export const ESCALATION_RUNGS = ['focal_point', 'institution_validator', 'coordinator'] as const;
export type EscalationRung = (typeof ESCALATION_RUNGS)[number];

/** How the worker reminds and escalates; from the validated config. */
export interface AlertSettings extends ReminderSettings {
  /** The inbox that also receives every overdue escalation. */
  coordinatorInstitution: string;
  /** The ladder, first step first; `escalationSteps` is its length. */
  escalationLadder: readonly EscalationRung[];
}

export const ALERT_SETTINGS = Symbol('ALERT_SETTINGS');

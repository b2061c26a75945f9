import type { ReminderSettings } from './reminder-plan';

/** How the worker reminds and escalates; from the validated config. */
export interface AlertSettings extends ReminderSettings {
  /** The inbox that also receives every overdue escalation. */
  coordinatorInstitution: string;
}

export const ALERT_SETTINGS = Symbol('ALERT_SETTINGS');

/** A step of an action with its own date, e.g. "Bill sent to the Government". */
export interface Milestone {
  title: string;
  /** ISO date (YYYY-MM-DD). */
  dueDate: string;
  done: boolean;
}

/** An SDG target: goal 1–17, then a number (16.3) or a letter for means of implementation (16.a). */
export const SDG_TARGET = /^(?:[1-9]|1[0-7])\.(?:[1-9]\d?|[a-z])$/;

export const MAX_MILESTONES = 50;
export const MAX_RECOMMENDATIONS = 50;
export const MAX_SDG_TARGETS = 50;

/** An action's details beyond its workflow, as `PATCH /actions/{id}` changes them. */
export interface ActionDetails {
  title?: string;
  description?: string;
  startDate?: Date | null;
  milestones?: Array<{ title: string; dueDate: Date; done: boolean }>;
  budgetLine?: string | null;
  recommendationIds?: string[];
  sdgTargets?: string[];
  planId?: string | null;
}

/** A Date from a date-only field as the ISO date it was sent as. */
export const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

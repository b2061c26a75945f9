// The coordinator's forms checked before they are sent: each error is a catalogue key, by field.

export type Errors<F extends string> = Partial<Record<F, string>>;

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

/** `YYYY-MM-DD` of a date in the user's own calendar day (a due date of today is allowed). */
export const localDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

export interface AssignmentDraft {
  lead: string;
  supporting: string[];
  dueDate: string;
}

export function validateAssignment(
  draft: AssignmentDraft,
  today: Date = new Date(),
): Errors<'lead' | 'dueDate'> {
  const errors: Errors<'lead' | 'dueDate'> = {};
  if (!draft.lead) errors.lead = 'coord.action.leadRequired';
  if (!draft.dueDate) errors.dueDate = 'coord.action.dueRequired';
  else if (!isDay(draft.dueDate)) errors.dueDate = 'coord.action.dueInvalid';
  else if (draft.dueDate < localDay(today)) errors.dueDate = 'coord.action.duePast';
  return errors;
}

export interface ActionDraft extends AssignmentDraft {
  title: string;
}

export function validateAction(
  draft: ActionDraft,
  today: Date = new Date(),
): Errors<'title' | 'lead' | 'dueDate'> {
  const errors: Errors<'title' | 'lead' | 'dueDate'> = validateAssignment(draft, today);
  if (!draft.title.trim()) errors.title = 'coord.action.titleRequired';
  else if (draft.title.trim().length > 500) errors.title = 'coord.action.titleTooLong';
  return errors;
}

/** The due date the API takes: the end of the chosen day in UTC, so it is never "in the past" on arrival. */
export const dueDateOf = (day: string) => `${day}T23:59:59.000Z`;

export interface PlanDraft {
  title: string;
  state: string;
  kind: string;
  periodStart: string;
  periodEnd: string;
}

export function validatePlan(draft: PlanDraft): Errors<'title' | 'state' | 'periodStart' | 'periodEnd'> {
  const errors: Errors<'title' | 'state' | 'periodStart' | 'periodEnd'> = {};
  if (!draft.title.trim()) errors.title = 'coord.plan.titleRequired';
  if (!/^[A-Z]{3}$/.test(draft.state.trim().toUpperCase())) errors.state = 'coord.plan.stateInvalid';
  if (!isDay(draft.periodStart)) errors.periodStart = 'coord.plan.dateRequired';
  if (!isDay(draft.periodEnd)) errors.periodEnd = 'coord.plan.dateRequired';
  else if (isDay(draft.periodStart) && draft.periodEnd < draft.periodStart)
    errors.periodEnd = 'coord.plan.endBeforeStart';
  return errors;
}

export interface IndicatorDraft {
  name: string;
  type: string;
  unit: string;
  baselineValue: string;
  baselineDate: string;
  targetValue: string;
  targetDate: string;
  frequency: string;
  dataSource: string;
}

type IndicatorField =
  'name' | 'unit' | 'baselineValue' | 'baselineDate' | 'targetValue' | 'targetDate' | 'dataSource';

export function validateIndicator(draft: IndicatorDraft): Errors<IndicatorField> {
  const errors: Errors<IndicatorField> = {};
  const number = (value: string) => value.trim() !== '' && Number.isFinite(Number(value));
  if (!draft.name.trim()) errors.name = 'coord.indicator.required';
  if (!draft.unit.trim()) errors.unit = 'coord.indicator.required';
  if (!draft.dataSource.trim()) errors.dataSource = 'coord.indicator.required';
  if (!number(draft.baselineValue)) errors.baselineValue = 'coord.indicator.numberRequired';
  if (!number(draft.targetValue)) errors.targetValue = 'coord.indicator.numberRequired';
  if (!isDay(draft.baselineDate)) errors.baselineDate = 'coord.plan.dateRequired';
  if (!isDay(draft.targetDate)) errors.targetDate = 'coord.plan.dateRequired';
  else if (isDay(draft.baselineDate) && draft.targetDate <= draft.baselineDate)
    errors.targetDate = 'coord.indicator.targetAfterBaseline';
  return errors;
}

/** Moves focus to the first field in error, so a keyboard or screen-reader user lands on it. */
export function focusFirstError(prefix: string, errors: Record<string, unknown>): void {
  const first = Object.keys(errors)[0];
  if (first) document.getElementById(`${prefix}-${first}`)?.focus();
}

/** The workflow steps the coordinator may take on an action in a status (actions' workflow/README.md). */
export type CoordinatorStep = 'complete' | 'block' | 'unblock' | 'cancel' | 'reopen';
const OPEN = ['proposed', 'assigned', 'acknowledged', 'declined', 'in_progress', 'blocked'];

export function coordinatorSteps(status: string): CoordinatorStep[] {
  const steps: CoordinatorStep[] = [];
  if (status === 'in_progress') steps.push('complete', 'block');
  if (status === 'blocked') steps.push('unblock');
  if (OPEN.includes(status)) steps.push('cancel');
  if (status === 'completed') steps.push('reopen');
  return steps;
}

/** The steps that need a reason, which the services refuse blank. */
export const NEEDS_REASON: ReadonlySet<CoordinatorStep> = new Set(['block', 'cancel', 'reopen']);

export interface InstitutionDraft {
  id: string;
  kind: string;
  names: Record<'en' | 'fr' | 'es' | 'ru' | 'zh' | 'ar', string>;
  acronym: string;
}

/** The directory's id rule (actions' institution.ts): letters, digits, single spaces and . , ' ’ & ( ) _ - */
const INSTITUTION_ID = /^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}.,'’&()_-]| (?! ))*$/u;

/** The id is the English name unless given: it is what the token's institutions claim carries. */
export const institutionIdOf = (draft: InstitutionDraft) =>
  (draft.id.trim() || draft.names.en.trim()).slice(0, 200);

export function validateInstitution(draft: InstitutionDraft): Errors<'id' | 'nameEn'> {
  const errors: Errors<'id' | 'nameEn'> = {};
  if (!draft.names.en.trim()) errors.nameEn = 'coord.directory.nameRequired';
  const id = institutionIdOf(draft);
  if (id && !INSTITUTION_ID.test(id)) errors.id = 'coord.directory.idInvalid';
  return errors;
}

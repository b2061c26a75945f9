import type { EventOutbox } from '@nmirf/platform';
import type { EntityManager } from 'typeorm';
import type { Indicator, Measurement } from './indicator';
import { indicatorScheduled, type IndicatorScheduleCause } from './indicator-events';
import { IndicatorRepository } from './indicator.repository';

/** Appends IndicatorScheduled in the caller's transaction and remembers the institutions it named. */
export async function announceIndicator(
  repository: IndicatorRepository,
  outbox: EventOutbox,
  cause: IndicatorScheduleCause,
  indicator: Indicator,
  measurements: readonly Measurement[],
  institutions?: readonly string[],
): Promise<void> {
  const named = institutions ?? (await repository.reportingInstitutionsOf(indicator.subject));
  await outbox.append(repository.manager, indicatorScheduled(cause, indicator, measurements, named));
  await repository.setRemindedInstitutions(indicator.id, named);
}

/**
 * After any write of an action: re-announces its indicators, and those of the recommendations it
 * serves, whose reporting institutions are no longer the ones last announced (a lead assigned or
 * changed, a supporting institution added or removed, a recommendation served). Indicators never
 * announced (defined before reminders existed) are announced too. Returns how many were.
 */
export async function announceReassignedIndicators(
  manager: EntityManager,
  outbox: EventOutbox,
  actionId: string,
): Promise<number> {
  const repository = new IndicatorRepository(manager);
  let announced = 0;
  for (const id of await repository.lockAffectedBy(actionId)) {
    const indicator = await repository.find(id);
    if (!indicator) continue;
    const institutions = await repository.reportingInstitutionsOf(indicator.subject);
    const reminded = await repository.remindedInstitutions(id);
    if (reminded !== null && sameInstitutions(reminded, institutions)) continue;
    const measurements = (await repository.measurementsOf([id])).get(id) ?? [];
    await announceIndicator(repository, outbox, 'reassigned', indicator, measurements, institutions);
    announced += 1;
  }
  return announced;
}

function sameInstitutions(a: readonly string[], b: readonly string[]): boolean {
  const left = [...a].sort();
  const right = [...b].sort();
  return left.length === right.length && left.every((one, i) => one === right[i]);
}

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ALERT_SETTINGS, type AlertSettings } from '../reminders/alert-settings';
import { ReportingDeadline } from './reporting-deadline.entity';

/** A reporting deadline as ReportingDeadlineChanged carries it (the whole entry after the change). */
export interface ReportingDeadlineChange {
  deadlineId: string;
  kind: string;
  state: string;
  mechanism: string;
  body: string;
  cycle: string;
  titleKey: string;
  titleParams: object;
  dueOn: string;
  estimated: boolean;
  source: string | null;
  open: boolean;
  sequence: number;
}

/**
 * Keeps the coordinator's copy of the reporting calendar, from which the reminders are planned.
 * A change older than the stored one (a lower SEQUENCE) is ignored: the calendar has moved on.
 */
@Injectable()
export class ReportingDeadlineFollowUp {
  constructor(@Inject(ALERT_SETTINGS) private readonly settings: AlertSettings) {}

  async deadlineChanged(change: ReportingDeadlineChange, manager: EntityManager): Promise<void> {
    const stored = await manager.findOne(ReportingDeadline, {
      where: { deadlineId: change.deadlineId },
      lock: { mode: 'pessimistic_write' },
    });
    if (stored && stored.sequence > change.sequence) return;
    await manager.upsert(
      ReportingDeadline,
      { ...change, institution: this.settings.coordinatorInstitution },
      ['deadlineId'],
    );
  }
}

import { Injectable } from '@nestjs/common';
import { actsFor, DomainError, type Principal } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { Deadline } from './deadline.entity';
import { ReminderSent } from './reminder-sent.entity';

export interface DeadlineWithReminders extends Deadline {
  remindersSent: Array<Omit<ReminderSent, 'actionId'> & { kind: 'reminder' | 'escalation' }>;
}

/** Where an action's reminders stand, for the coordinator and for support. */
@Injectable()
export class DeadlinesService {
  constructor(private readonly dataSource: DataSource) {}

  async get(actionId: string, caller?: Principal): Promise<DeadlineWithReminders> {
    const manager = this.dataSource.manager;
    const deadline = await manager.findOneBy(Deadline, { actionId });
    if (!deadline || (caller && !actsFor(caller, deadline.institution)))
      throw DomainError.notFound('Deadline of action', actionId);
    const sent = await manager.find(ReminderSent, {
      where: { actionId },
      order: { sentAt: 'ASC', offsetSeconds: 'DESC' },
    });
    return {
      ...deadline,
      remindersSent: sent.map(({ actionId: _, ...reminder }) => ({
        kind: reminder.offsetSeconds < 0 ? 'escalation' : 'reminder',
        ...reminder,
      })),
    };
  }
}

import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Job } from 'bullmq';
import { collectJobHandlers, JobHandlerError, JobHandlers, OnJob } from './on-job';

class Reminders {
  readonly sent: string[] = [];

  @OnJob('reminder')
  async remind(job: Job<{ id: string }>) {
    this.sent.push(job.data.id);
    return 'sent';
  }

  @OnJob('escalation')
  async escalate() {
    return 'escalated';
  }
}

class AlsoReminds {
  @OnJob('reminder')
  async remindToo() {
    return 'sent twice';
  }
}

const job = (id: string) => ({ data: { id } }) as Job<{ id: string }>;

describe('@OnJob handler discovery', () => {
  it('hands each declared kind to its handler, bound to its provider', async () => {
    const reminders = new Reminders();
    const handlers = collectJobHandlers<{ id: string; correlationId?: string }>(
      'deadlines',
      ['reminder', 'escalation'],
      [reminders],
    );

    expect(await handlers.reminder(job('a'))).toBe('sent');
    expect(await handlers.escalation(job('b'))).toBe('escalated');
    expect(reminders.sent).toEqual(['a']);
  });

  it('refuses to start when a declared kind has no handler', () => {
    expect(() => collectJobHandlers('deadlines', ['reminder', 'digest'], [new Reminders()])).toThrow(
      new JobHandlerError('Queue "deadlines": no @OnJob handler for "digest"'),
    );
  });

  it('refuses to start when two handlers claim one kind, and names both', () => {
    expect(() =>
      collectJobHandlers('deadlines', ['reminder', 'escalation'], [new Reminders(), new AlsoReminds()]),
    ).toThrow(/more than one @OnJob handler for "reminder" \(Reminders\.remind, AlsoReminds\.remindToo\)/);
  });

  it('ignores handlers of kinds another queue declares', () => {
    const handlers = collectJobHandlers('escalations', ['escalation'], [new Reminders(), new AlsoReminds()]);
    expect(Object.keys(handlers)).toEqual(['escalation']);
  });

  describe('among the providers of a Nest application', () => {
    @Injectable()
    class DeadlineReminders extends Reminders {}

    @Injectable()
    class DuplicateReminders extends AlsoReminds {}

    async function handlersIn(providers: Array<new () => object>, kinds: string[]) {
      @Module({ imports: [DiscoveryModule], providers: [JobHandlers, ...providers] })
      class AppModule {}
      const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
      try {
        return Object.keys(moduleRef.get(JobHandlers).for('deadlines', kinds)).sort();
      } finally {
        await moduleRef.close();
      }
    }

    it('finds handlers on injectable providers, inherited methods included', async () => {
      expect(await handlersIn([DeadlineReminders], ['reminder', 'escalation'])).toEqual([
        'escalation',
        'reminder',
      ]);
    });

    it('refuses a duplicate across providers', async () => {
      await expect(handlersIn([DeadlineReminders, DuplicateReminders], ['reminder'])).rejects.toThrow(
        JobHandlerError,
      );
    });

    it('refuses a missing handler', async () => {
      await expect(handlersIn([DuplicateReminders], ['reminder', 'escalation'])).rejects.toThrow(
        /no @OnJob handler for "escalation"/,
      );
    });
  });
});

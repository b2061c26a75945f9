import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { DomainError, EventOutbox } from '@nmirf/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { reportingDeadlineChanged } from './calendar-events';
import { calendarTranslator, type CalendarLang } from './calendar-messages';
import { CalendarRepository, type CalendarFilter } from './calendar-repository';
import { followNewDates, type CalendarChanges } from './follow-new-dates';
import { calendarDocumentOf, type ImportedRecommendationSource } from './imported-documents';
import { serializeCalendar } from './icalendar';
import type { ManualMilestone, Milestone } from './milestone';
import type { CalendarEntry } from './reporting-deadline';

/**
 * The domain part of every event UID in the feed. Subscribed clients key events by UID, so it never
 * changes; the deadline ids are already unique (version-5 UUIDs), the domain only follows RFC 5545.
 */
export const CALENDAR_UID_DOMAIN = 'reporting-calendar.nmirf.org';

/** Days before the due date a subscribed calendar alerts its reader. */
export const FEED_ALARM_DAYS_BEFORE = [30, 7] as const;

export interface AppliedChanges {
  added: CalendarEntry[];
  updated: CalendarEntry[];
  closed: CalendarEntry[];
}

/** The State's reporting calendar: milestones in, deadlines out, each change with its event. */
@Injectable()
export class CalendarService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  list(filter: CalendarFilter): Promise<CalendarEntry[]> {
    return new CalendarRepository(this.dataSource.manager).list(filter);
  }

  /** The whole calendar, closed deadlines included: a subscribed client learns of them as CANCELLED. */
  async feed(lang: CalendarLang, now = new Date()): Promise<string> {
    const entries = await new CalendarRepository(this.dataSource.manager).list({});
    return serializeCalendar(entries, {
      lang,
      translate: calendarTranslator(lang),
      uidDomain: CALENDAR_UID_DOMAIN,
      generatedAt: now,
      alarmDaysBefore: FEED_ALARM_DAYS_BEFORE,
    });
  }

  /** Applies a milestone (coordinator or import) in one transaction with its events. */
  applyMilestone(milestone: Milestone, actor: string): Promise<AppliedChanges> {
    return this.dataSource.transaction((manager) => this.applyIn(manager, milestone, actor));
  }

  /**
   * Merges `milestone` into the stored calendar within `manager`'s transaction (an import's
   * consumer calls it with the inbox's transaction).
   */
  async applyIn(manager: EntityManager, milestone: Milestone, actor: string): Promise<AppliedChanges> {
    const repository = new CalendarRepository(manager);
    await repository.lockState(String(milestone.state));
    const existing = await repository.entriesOf(String(milestone.state));
    const changes = withFieldErrors(() => followNewDates(existing, milestone));
    await repository.recordMilestone(
      milestone.kind,
      milestone.state,
      milestone.kind === 'manual' ? null : milestone.documentSymbol.trim(),
      milestone,
      actor,
    );
    if (milestone.kind !== 'manual') await repository.confirmDocument(milestone.documentSymbol);
    return this.write(manager, repository, changes);
  }

  /**
   * Follows an import: a recommendation from a UPR outcome or concluding observations puts its
   * document on the coordinator's list to confirm (see imported-documents.ts), within the consumer's
   * transaction. Other documents give no deadline.
   */
  async recommendationImported(manager: EntityManager, source: ImportedRecommendationSource): Promise<void> {
    const document = calendarDocumentOf(source);
    if (document) await new CalendarRepository(manager).noteDocument(document);
  }

  /** Imported documents whose dates the coordinator has not confirmed yet, each with the milestone to complete. */
  async documentsToConfirm() {
    const documents = await new CalendarRepository(this.dataSource.manager).documentsToConfirm();
    return documents.map((document) => ({
      ...document,
      milestone:
        document.mechanism === 'upr'
          ? {
              kind: 'upr_outcome',
              state: document.state,
              cycle: document.uprCycle,
              documentSymbol: document.documentSymbol,
            }
          : {
              kind: 'concluding_observations',
              state: document.state,
              body: document.body,
              documentSymbol: document.documentSymbol,
            },
    }));
  }

  /** A manual entry's new title or date; a closed one reopens. */
  async updateManual(id: string, change: { title: string; dueOn: string }, actor: string) {
    return this.dataSource.transaction(async (manager) => {
      const entry = await this.manualEntry(manager, id);
      const milestone: ManualMilestone = {
        kind: 'manual',
        state: entry.state,
        mechanism: entry.mechanism,
        body: entry.body,
        reference: entry.cycle,
        title: change.title,
        dueOn: change.dueOn,
      };
      await this.applyIn(manager, milestone, actor);
      return (await new CalendarRepository(manager).find(id)) as CalendarEntry;
    });
  }

  /** Closes a manual entry: subscribers see it cancelled, its reminders stop. Closing twice changes nothing. */
  async closeManual(id: string, actor: string): Promise<CalendarEntry> {
    return this.dataSource.transaction(async (manager) => {
      const entry = await this.manualEntry(manager, id);
      if (entry.status === 'closed') return entry;
      const repository = new CalendarRepository(manager);
      await repository.recordMilestone('manual_removed', entry.state, null, { id }, actor);
      const closed: CalendarEntry = { ...entry, status: 'closed', sequence: entry.sequence + 1 };
      await this.write(manager, repository, { add: [], update: [], close: [closed] });
      return closed;
    });
  }

  private async manualEntry(manager: EntityManager, id: string): Promise<CalendarEntry> {
    const repository = new CalendarRepository(manager);
    const found = await repository.find(id);
    if (!found) throw DomainError.notFound('Calendar entry', id);
    await repository.lockState(found.state);
    const entry = (await repository.find(id)) as CalendarEntry;
    if (entry.kind !== 'manual') {
      throw new DomainError(
        'conflict',
        `Calendar entry ${id} comes from ${entry.source ?? 'a document'}: import a newer document to change it`,
      );
    }
    return entry;
  }

  private async write(
    manager: EntityManager,
    repository: CalendarRepository,
    changes: CalendarChanges,
  ): Promise<AppliedChanges> {
    for (const entry of changes.add) {
      await repository.save(entry);
      await this.outbox.append(manager, reportingDeadlineChanged('scheduled', entry, null));
    }
    for (const { entry, previousDueOn } of changes.update) {
      await repository.save(entry);
      await this.outbox.append(manager, reportingDeadlineChanged('updated', entry, previousDueOn));
    }
    for (const entry of changes.close) {
      await repository.save(entry);
      await this.outbox.append(manager, reportingDeadlineChanged('closed', entry, entry.dueOn));
    }
    return {
      added: changes.add,
      updated: changes.update.map((update) => update.entry),
      closed: changes.close,
    };
  }
}

/** The module's refusals ("field: why") as the platform's field errors, still a 422. */
function withFieldErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof DomainError) || error.kind !== 'unprocessable') throw error;
    const separator = error.message.indexOf(': ');
    const field = separator > 0 ? error.message.slice(0, separator) : 'milestone';
    const message = separator > 0 ? error.message.slice(separator + 2) : error.message;
    throw new UnprocessableEntityException({
      error: 'Unprocessable Entity',
      message: error.message,
      errors: [{ field, messages: [message] }],
    });
  }
}

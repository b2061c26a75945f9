import { randomUUID } from 'node:crypto';
import { IsNull, type EntityManager } from 'typeorm';
import { CalendarDocument, CalendarEntryRecord, MilestoneRecord } from './calendar-entry.entity';
import type { CalendarDocumentCandidate } from './imported-documents';
import type { DeadlineKind, CalendarEntry } from './reporting-deadline';

export interface CalendarFilter {
  from?: string;
  to?: string;
  mechanism?: string;
  kind?: DeadlineKind;
  status?: 'open' | 'closed';
  state?: string;
}

/** The calendar's SQL, bound to one transaction (or to the data source for reads). */
export class CalendarRepository {
  constructor(private readonly manager: EntityManager) {}

  /**
   * Serializes every change to one State's calendar until commit: `followNewDates` reads the stored
   * entries, and two milestones merged at once would each miss what the other adds.
   */
  async lockState(state: string): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtext('reporting-calendar:' || $1))`, [state]);
  }

  async entriesOf(state: string): Promise<CalendarEntry[]> {
    const rows = await this.manager.find(CalendarEntryRecord, { where: { state } });
    return rows.map(toEntry);
  }

  async find(id: string): Promise<CalendarEntry | null> {
    const row = await this.manager.findOne(CalendarEntryRecord, { where: { id } });
    return row ? toEntry(row) : null;
  }

  async list(filter: CalendarFilter): Promise<CalendarEntry[]> {
    const query = this.manager
      .createQueryBuilder(CalendarEntryRecord, 'entry')
      .orderBy('entry.due_on', 'ASC')
      .addOrderBy('entry.id', 'ASC');
    if (filter.from) query.andWhere('entry.due_on >= :from', { from: filter.from });
    if (filter.to) query.andWhere('entry.due_on <= :to', { to: filter.to });
    if (filter.mechanism) query.andWhere('entry.mechanism = :mechanism', { mechanism: filter.mechanism });
    if (filter.kind) query.andWhere('entry.kind = :kind', { kind: filter.kind });
    if (filter.status) query.andWhere('entry.status = :status', { status: filter.status });
    if (filter.state) query.andWhere('entry.state = :state', { state: filter.state });
    return (await query.getMany()).map(toEntry);
  }

  async save(entry: CalendarEntry): Promise<void> {
    await this.manager.upsert(CalendarEntryRecord, { ...entry }, ['id']);
  }

  /** Remembers an imported document once; a re-import changes nothing. */
  async noteDocument(document: CalendarDocumentCandidate): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .insert()
      .into(CalendarDocument)
      .values(document)
      .orIgnore()
      .execute();
  }

  async confirmDocument(documentSymbol: string): Promise<void> {
    await this.manager.query(
      `UPDATE calendar_documents SET confirmed_at = now()
        WHERE document_symbol = $1 AND confirmed_at IS NULL`,
      [normalSymbol(documentSymbol)],
    );
  }

  documentsToConfirm(): Promise<CalendarDocument[]> {
    return this.manager.find(CalendarDocument, {
      where: { confirmedAt: IsNull() },
      order: { firstSeenAt: 'ASC', documentSymbol: 'ASC' },
    });
  }

  async recordMilestone(
    kind: string,
    state: string,
    source: string | null,
    milestone: object,
    actor: string,
  ): Promise<void> {
    await this.manager.insert(MilestoneRecord, {
      id: randomUUID(),
      kind,
      state,
      source,
      milestone,
      recordedBy: actor,
    });
  }
}

function toEntry(row: CalendarEntryRecord): CalendarEntry {
  const { updatedAt: _updatedAt, ...entry } = row;
  return { ...entry };
}

/** Symbols compare without spaces and case: A/HRC/43/15 as imported, a/hrc/43/15 as typed. */
export function normalSymbol(documentSymbol: string): string {
  return documentSymbol.replace(/\s+/g, '').toUpperCase();
}

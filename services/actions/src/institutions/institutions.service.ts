import { Injectable } from '@nestjs/common';
import { DomainError, EventOutbox } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { draftProblems, sameId, type InstitutionDraft } from './institution';
import { mergeRow, type LineError, type ParsedCsv } from './institution-csv';
import { institutionChanged } from './institution-events';
import { cycleThrough, parentsFirst } from './institution-tree';
import { Institution } from './institution.entity';
import { InstitutionRepository, type InstitutionFilter } from './institution.repository';

/** A write based on a version that is no longer the current one (HTTP: 412). */
export class StaleVersionError extends Error {
  constructor(readonly current: number) {
    super(`The institution has changed since it was read (it is now at version ${current}); read it again`);
  }
}

/** A CSV file with errors: nothing of it was applied (HTTP: 422 with the lines). */
export class RejectedRowsError extends Error {
  constructor(readonly errors: LineError[]) {
    const lines = new Set(errors.map((error) => error.line)).size;
    super(`Nothing was imported: ${lines === 1 ? '1 line has' : `${lines} lines have`} errors`);
  }
}

export type InstitutionChanges = Omit<InstitutionDraft, 'id' | 'active'> & { active?: boolean };

/** Whether the version the caller read is still the current one (HTTP: If-Match). */
export type Precondition = (currentVersion: number) => boolean;

export interface ImportOutcome {
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * Use cases of the directory. Writers take the directory lock, so a parent change is checked for
 * loops against a tree nobody else is changing; each change and its InstitutionChanged event commit
 * together.
 */
@Injectable()
export class InstitutionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  list(filter: InstitutionFilter): Promise<{ items: Institution[]; total: number }> {
    return new InstitutionRepository(this.dataSource.manager).search(filter);
  }

  async get(id: string): Promise<Institution> {
    const found = await new InstitutionRepository(this.dataSource.manager).find(id);
    if (!found) throw DomainError.notFound('Institution', id);
    return found;
  }

  async create(draft: InstitutionDraft): Promise<Institution> {
    assertValid(draft);
    return this.dataSource.transaction(async (manager) => {
      const repository = new InstitutionRepository(manager);
      await repository.lockDirectory();
      const existing = await repository.find(draft.id);
      if (existing) throw new DomainError('conflict', `Institution ${existing.id} already exists`);
      const parentId = await this.checkedParent(repository, draft.id, draft.parentId);
      const institution = manager.create(Institution, { id: draft.id, version: 1, needsReview: false });
      applyDraft(institution, { ...draft, parentId });
      await repository.insert(institution);
      await this.outbox.append(manager, institutionChanged(institution));
      return institution;
    });
  }

  /** Replaces the entry's fields (the id stays); saving it also marks it reviewed. */
  async update(id: string, changes: InstitutionChanges, precondition?: Precondition): Promise<Institution> {
    return this.dataSource.transaction(async (manager) => {
      const repository = new InstitutionRepository(manager);
      await repository.lockDirectory();
      const institution = await this.current(repository, id, precondition);
      const draft: InstitutionDraft = {
        ...changes,
        id: institution.id,
        active: changes.active ?? institution.active,
      };
      assertValid(draft);
      const parentId = await this.checkedParent(repository, institution.id, draft.parentId);
      await this.write(repository, institution, { ...draft, parentId });
      return institution;
    });
  }

  /** An institution is never deleted: actions, their history and other services' copies refer to it. */
  async deactivate(id: string, precondition?: Precondition): Promise<Institution> {
    return this.dataSource.transaction(async (manager) => {
      const repository = new InstitutionRepository(manager);
      await repository.lockDirectory();
      const institution = await this.current(repository, id, precondition);
      await this.write(repository, institution, { ...draftOf(institution), active: false });
      return institution;
    });
  }

  /**
   * Creates or updates an entry per row, all or nothing. A parent may be in the directory or anywhere
   * in the file; every error of every row is reported, with its line.
   */
  async importCsv(parsed: ParsedCsv): Promise<ImportOutcome> {
    if (parsed.errors.length > 0) throw new RejectedRowsError(parsed.errors);
    return this.dataSource.transaction(async (manager) => {
      const repository = new InstitutionRepository(manager);
      await repository.lockDirectory();
      const existing = new Map((await repository.all()).map((entry) => [entry.id.toLowerCase(), entry]));
      const rows = parsed.rows.map(({ line, draft }) => {
        const current = existing.get(draft.id.toLowerCase());
        return { line, current, draft: mergeRow(current && draftOf(current), draft, parsed.columns) };
      });
      // Canonical spelling of every id the file may point at: the directory's, else the file's.
      const canonical = new Map<string, string>();
      for (const { draft } of rows) canonical.set(draft.id.toLowerCase(), draft.id);
      for (const entry of existing.values()) canonical.set(entry.id.toLowerCase(), entry.id);
      const parents = new Map(
        [...existing.values()].map((entry) => [entry.id.toLowerCase(), entry.parentId]),
      );
      for (const { draft } of rows) parents.set(draft.id.toLowerCase(), draft.parentId);

      const errors: LineError[] = [];
      for (const { line, draft } of rows) {
        if (draft.parentId === null) continue;
        const parentId = canonical.get(draft.parentId.toLowerCase());
        if (parentId === undefined) {
          errors.push({
            line,
            field: 'parent_id',
            messages: [`parent_id ${draft.parentId} is neither in the directory nor in the file`],
          });
          continue;
        }
        draft.parentId = parentId;
        const loop = cycleThrough(draft.id, parentId, parents);
        if (loop)
          errors.push({ line, field: 'parent_id', messages: [`The parents loop: ${loop.join(' → ')}`] });
      }
      if (errors.length > 0) throw new RejectedRowsError(errors);

      const outcome: ImportOutcome = { created: 0, updated: 0, unchanged: 0 };
      const currentOf = new Map(rows.map((row) => [row.draft.id.toLowerCase(), row.current]));
      const changed: Institution[] = [];
      for (const draft of parentsFirst(rows.map((row) => row.draft))) {
        const current = currentOf.get(draft.id.toLowerCase());
        if (!current) {
          const institution = manager.create(Institution, { id: draft.id, version: 1, needsReview: false });
          applyDraft(institution, draft);
          await repository.insert(institution);
          changed.push(institution);
          outcome.created += 1;
        } else if (revise(current, draft)) {
          await repository.save(current);
          changed.push(current);
          outcome.updated += 1;
        } else outcome.unchanged += 1;
      }
      await this.outbox.append(manager, ...changed.map(institutionChanged));
      return outcome;
    });
  }

  private async current(
    repository: InstitutionRepository,
    id: string,
    precondition: Precondition | undefined,
  ): Promise<Institution> {
    const institution = await repository.find(id, { lock: true });
    if (!institution) throw DomainError.notFound('Institution', id);
    if (precondition && !precondition(institution.version)) throw new StaleVersionError(institution.version);
    return institution;
  }

  /** The parent's canonical id; 422 for an unknown parent or one that would close a loop. */
  private async checkedParent(
    repository: InstitutionRepository,
    id: string,
    parentId: string | null,
  ): Promise<string | null> {
    if (parentId === null) return null;
    const parent = await repository.find(parentId);
    if (!parent) throw new DomainError('unprocessable', `parentId ${parentId} is not in the directory`);
    const loop = cycleThrough(id, parent.id, await repository.parents());
    if (loop)
      throw new DomainError('unprocessable', `parentId would make the parents loop: ${loop.join(' → ')}`);
    return parent.id;
  }

  /** Saves the entry with its event when the draft changes it (or it awaited review). */
  private async write(
    repository: InstitutionRepository,
    institution: Institution,
    draft: InstitutionDraft,
  ): Promise<void> {
    if (!revise(institution, draft)) return;
    await repository.save(institution);
    await this.outbox.append(repository.manager, institutionChanged(institution));
  }
}

/** Applies the draft and counts a version when it changes the entry (or the entry awaited review). */
function revise(institution: Institution, draft: InstitutionDraft): boolean {
  if (!institution.needsReview && sameDraft(draftOf(institution), draft)) return false;
  applyDraft(institution, draft);
  institution.needsReview = false;
  institution.version += 1;
  return true;
}

function assertValid(draft: InstitutionDraft): void {
  const problems = draftProblems(draft);
  if (problems.length > 0)
    throw new DomainError('unprocessable', problems.flatMap((problem) => problem.messages).join('; '));
}

export function draftOf(institution: Institution): InstitutionDraft {
  const names: InstitutionDraft['names'] = { en: institution.nameEn };
  if (institution.nameFr !== null) names.fr = institution.nameFr;
  if (institution.nameEs !== null) names.es = institution.nameEs;
  if (institution.nameRu !== null) names.ru = institution.nameRu;
  if (institution.nameZh !== null) names.zh = institution.nameZh;
  if (institution.nameAr !== null) names.ar = institution.nameAr;
  return {
    id: institution.id,
    kind: institution.kind,
    parentId: institution.parentId,
    names,
    acronym: institution.acronym,
    focalPointIds: [...institution.focalPointIds],
    validatorIds: [...institution.validatorIds],
    active: institution.active,
  };
}

function applyDraft(institution: Institution, draft: InstitutionDraft): void {
  institution.kind = draft.kind;
  institution.parentId = draft.parentId;
  institution.nameEn = draft.names.en;
  institution.nameFr = draft.names.fr ?? null;
  institution.nameEs = draft.names.es ?? null;
  institution.nameRu = draft.names.ru ?? null;
  institution.nameZh = draft.names.zh ?? null;
  institution.nameAr = draft.names.ar ?? null;
  institution.acronym = draft.acronym;
  institution.focalPointIds = draft.focalPointIds;
  institution.validatorIds = draft.validatorIds;
  institution.active = draft.active;
}

function sameDraft(a: InstitutionDraft, b: InstitutionDraft): boolean {
  const parentSame =
    a.parentId === null ? b.parentId === null : b.parentId !== null && sameId(a.parentId, b.parentId);
  const { parentId: _a, ...restA } = a;
  const { parentId: _b, ...restB } = b;
  return parentSame && JSON.stringify(sorted(restA)) === JSON.stringify(sorted(restB));
}

/** Key order does not make two drafts differ. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, item]) => [key, sorted(item)]),
  );
}

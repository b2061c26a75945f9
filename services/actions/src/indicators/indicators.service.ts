import { ForbiddenException, Injectable, PreconditionFailedException } from '@nestjs/common';
import { DomainError, EventOutbox } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { sameInstitution } from '../workflow/actor';
import {
  DATE_RULE,
  definitionProblems,
  isCalendarDay,
  isNote,
  isValue,
  NOTE_RULE,
  VALUE_RULE,
  type Indicator,
  type IndicatorDefinition,
  type IndicatorSubject,
  type Measurement,
} from './indicator';
import { announceIndicator } from './indicator-announcements';
import type { IndicatorScheduleCause } from './indicator-events';
import { IndicatorRepository } from './indicator.repository';

/** The caller as the token says (the platform's Principal fits). */
export interface Caller {
  subject: string;
  roles: ReadonlySet<string>;
  institutions: readonly string[];
}

export interface NewMeasurement {
  value: number;
  date: string;
  note: string;
  progressReportId: string | null;
}

export interface IndicatorDetails {
  indicator: Indicator;
  measurements: Measurement[];
}

/** Whether the version the caller read is still the current one (HTTP: If-Match). */
export type Precondition = (currentVersion: number) => boolean;

const WORKERS = ['focal_point', 'institution_validator'];

/**
 * Use cases of indicators. The coordinator defines them; the coordinator and the focal points of the
 * institutions working on the action (for a recommendation's indicator, on any action serving it)
 * report measurements; those institutions' focal points and validators read them. Anyone else gets 404.
 * Each write appends IndicatorScheduled (the next reporting day) in its transaction.
 */
@Injectable()
export class IndicatorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  async create(
    subject: IndicatorSubject,
    caller: Caller,
    definition: IndicatorDefinition,
  ): Promise<IndicatorDetails> {
    assertValid(definition);
    return this.dataSource.transaction(async (manager) => {
      const repository = new IndicatorRepository(manager);
      if (!(await repository.subjectExists(subject))) throw notFound(subject);
      const indicator: Indicator = {
        id: randomUUID(),
        subject,
        ...definition,
        version: 1,
        createdBy: caller.subject,
        createdAt: new Date(),
        updatedBy: caller.subject,
        updatedAt: new Date(),
      };
      await repository.insert(indicator);
      await this.schedule(repository, 'defined', indicator, []);
      return { indicator, measurements: [] };
    });
  }

  async update(
    id: string,
    caller: Caller,
    definition: IndicatorDefinition,
    precondition: Precondition,
  ): Promise<IndicatorDetails> {
    assertValid(definition);
    return this.dataSource.transaction(async (manager) => {
      const repository = new IndicatorRepository(manager);
      const indicator = await repository.find(id, { lock: true });
      if (!indicator) throw DomainError.notFound('Indicator', id);
      if (!precondition(indicator.version))
        throw new PreconditionFailedException(
          `The indicator has changed since it was read (its ETag is now "${indicator.version}")`,
        );
      Object.assign(indicator, definition, { version: indicator.version + 1, updatedBy: caller.subject });
      await repository.update(indicator);
      const details = await this.details(repository, indicator);
      await this.schedule(repository, 'redefined', indicator, details.measurements);
      return details;
    });
  }

  async list(subject: IndicatorSubject, caller: Caller): Promise<IndicatorDetails[]> {
    const repository = new IndicatorRepository(this.dataSource.manager);
    const institutions = await repository.institutionsOf(subject);
    if (!institutions || !reads(caller, institutions)) throw notFound(subject);
    const indicators = await repository.ofSubject(subject);
    const measurements = await repository.measurementsOf(indicators.map((indicator) => indicator.id));
    return indicators.map((indicator) => ({ indicator, measurements: measurements.get(indicator.id) ?? [] }));
  }

  async get(id: string, caller: Caller): Promise<IndicatorDetails> {
    const repository = new IndicatorRepository(this.dataSource.manager);
    const indicator = await repository.find(id);
    const institutions = indicator && (await repository.institutionsOf(indicator.subject));
    if (!indicator || !institutions || !reads(caller, institutions))
      throw DomainError.notFound('Indicator', id);
    return this.details(repository, indicator);
  }

  /** A measurement by the coordinator or a focal point of an institution working on the subject. */
  async measure(id: string, caller: Caller, input: NewMeasurement): Promise<IndicatorDetails> {
    const problems: string[] = [];
    if (!isValue(input.value)) problems.push(`value ${VALUE_RULE}`);
    if (!isCalendarDay(input.date)) problems.push(`date ${DATE_RULE}`);
    else if (input.date > new Date().toISOString().slice(0, 10))
      problems.push('date must not be in the future');
    if (!isNote(input.note)) problems.push(`note ${NOTE_RULE}`);
    if (problems.length > 0) throw new DomainError('unprocessable', problems.join('; '));
    return this.dataSource.transaction(async (manager) => {
      const repository = new IndicatorRepository(manager);
      const indicator = await repository.find(id, { lock: true });
      const institutions = indicator && (await repository.institutionsOf(indicator.subject));
      if (!indicator || !institutions || !reads(caller, institutions))
        throw DomainError.notFound('Indicator', id);
      const coordinator = caller.roles.has('coordinator');
      const institution = caller.roles.has('focal_point')
        ? (institutions.find((one) => caller.institutions.some((own) => sameInstitution(own, one))) ?? null)
        : null;
      if (!coordinator && !institution)
        throw new ForbiddenException(
          'Only the coordinator and the focal points of its institutions report measurements',
        );
      if (input.progressReportId !== null) {
        const report = await repository.report(input.progressReportId);
        const fits =
          report !== null &&
          indicator.subject.kind === 'action' &&
          report.actionId === indicator.subject.id &&
          (coordinator || (institution !== null && sameInstitution(report.institutionId, institution)));
        if (!fits)
          throw new DomainError(
            'unprocessable',
            'progressReportId must name a progress report of your institution on the indicator’s action',
          );
      }
      await repository.addMeasurement({
        id: randomUUID(),
        indicatorId: indicator.id,
        value: input.value,
        date: input.date,
        note: input.note,
        reportedBy: caller.subject,
        institutionId: coordinator && !institution ? null : institution,
        progressReportId: input.progressReportId,
      });
      const details = await this.details(repository, indicator);
      await this.schedule(repository, 'measured', indicator, details.measurements);
      return details;
    });
  }

  private schedule(
    repository: IndicatorRepository,
    cause: IndicatorScheduleCause,
    indicator: Indicator,
    measurements: readonly Measurement[],
  ): Promise<void> {
    return announceIndicator(repository, this.outbox, cause, indicator, measurements);
  }

  private async details(repository: IndicatorRepository, indicator: Indicator): Promise<IndicatorDetails> {
    return {
      indicator,
      measurements: (await repository.measurementsOf([indicator.id])).get(indicator.id) ?? [],
    };
  }
}

/** The coordinator, and the focal points and validators of an institution working on the subject. */
function reads(caller: Caller, institutions: readonly string[]): boolean {
  if (caller.roles.has('coordinator')) return true;
  if (!WORKERS.some((role) => caller.roles.has(role))) return false;
  return caller.institutions.some((own) => institutions.some((one) => sameInstitution(own, one)));
}

const notFound = (subject: IndicatorSubject) =>
  DomainError.notFound(subject.kind === 'action' ? 'Action' : 'Recommendation', subject.id);

function assertValid(definition: IndicatorDefinition): void {
  const problems = definitionProblems(definition);
  if (problems.length > 0) throw new DomainError('unprocessable', problems.join('; '));
}

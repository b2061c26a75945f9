import { Injectable } from '@nestjs/common';
import { DomainError, EventOutbox } from '@nmirf/platform';
import { DataSource, type EntityManager } from 'typeorm';
import type { ImplementationStatusDto } from './implementation-status.dto';
import { ImplementationRepository } from './implementation-repository';
import {
  deriveImplementationStatus,
  effectiveImplementationStatus,
  type ImplementationStatus,
} from './implementation-status';
import { recomputeImplementationStatus } from './recompute-implementation-status';

/** The coordinator's overrides of a recommendation's implementation status, and what is in force. */
@Injectable()
export class ImplementationStatusService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  async get(recommendationId: string): Promise<ImplementationStatusDto> {
    const repository = new ImplementationRepository(this.dataSource.manager);
    const known = await this.dataSource.manager.query(`SELECT 1 FROM known_recommendations WHERE id = $1`, [
      recommendationId,
    ]);
    if (known.length === 0) throw DomainError.notFound('Recommendation', recommendationId);
    return this.view(repository, recommendationId);
  }

  /** Sets the status by hand, whatever the actions say, until the override is removed. */
  async override(
    recommendationId: string,
    status: ImplementationStatus,
    justification: string,
    actor: string,
  ): Promise<ImplementationStatusDto> {
    return this.dataSource.transaction(async (manager) => {
      const repository = await this.lockKnown(manager, recommendationId);
      await repository.setOverride(recommendationId, { status, justification, actor });
      await recomputeImplementationStatus(manager, this.outbox, recommendationId);
      return this.view(repository, recommendationId);
    });
  }

  /** Back to what the actions say; the override stays in the history with why it was removed. */
  async removeOverride(
    recommendationId: string,
    justification: string,
    actor: string,
  ): Promise<ImplementationStatusDto> {
    return this.dataSource.transaction(async (manager) => {
      const repository = await this.lockKnown(manager, recommendationId);
      const current = await repository.override(recommendationId);
      if (!current) {
        throw new DomainError('conflict', `Recommendation ${recommendationId} has no override to remove`);
      }
      await repository.removeOverride(recommendationId, { status: current.status, justification, actor });
      await recomputeImplementationStatus(manager, this.outbox, recommendationId);
      return this.view(repository, recommendationId);
    });
  }

  /** A recommendation this service has not heard of is 404: it may not have reached it yet. */
  private async lockKnown(
    manager: EntityManager,
    recommendationId: string,
  ): Promise<ImplementationRepository> {
    const repository = new ImplementationRepository(manager);
    if (!(await repository.lockRecommendation(recommendationId))) {
      throw DomainError.notFound('Recommendation', recommendationId);
    }
    return repository;
  }

  private async view(
    repository: ImplementationRepository,
    recommendationId: string,
  ): Promise<ImplementationStatusDto> {
    const derived = deriveImplementationStatus(await repository.actionStatuses(recommendationId));
    const override = await repository.override(recommendationId);
    const history = await repository.history(recommendationId);
    return {
      recommendationId,
      derived,
      override: override && {
        status: override.status,
        justification: override.justification,
        decidedBy: override.actor,
        decidedAt: override.decidedAt,
      },
      effective: effectiveImplementationStatus(derived, override?.status),
      history: history.map((entry) => ({
        change: entry.change,
        status: entry.status,
        justification: entry.justification,
        decidedBy: entry.actor,
        decidedAt: entry.decidedAt,
      })),
    };
  }
}

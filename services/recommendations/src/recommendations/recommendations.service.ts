import { Injectable } from '@nestjs/common';
import { DomainError, EventOutbox } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { resolveBody, resolveState, uprCycleOfSession } from '../taxonomy';
import { RecommendationHistory } from './recommendation-history.entity';
import { recommendationCreated, recommendationUpdated } from './recommendation-events';
import { Recommendation, type Position } from './recommendation.entity';

export interface NewRecommendation {
  body: string;
  documentSymbol: string;
  paragraph: string;
  text: string;
  recommendingStates?: string[];
  position?: Position;
  stateUnderReview?: string;
  uprSession?: number;
  language?: string;
}

@Injectable()
export class RecommendationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  /** Entered by hand. Document symbol + paragraph identify a recommendation: it cannot be entered twice. */
  async create(input: NewRecommendation): Promise<Recommendation> {
    const body = resolveBody(input.body);
    if (!body) {
      throw new DomainError(
        'unprocessable',
        `Unknown body "${input.body}": use UPR, a treaty body code, or a mandate`,
      );
    }
    const state = input.stateUnderReview ? resolveState(input.stateUnderReview) : undefined;
    if (input.stateUnderReview && !state) {
      throw new DomainError('unprocessable', `Unknown State under review "${input.stateUnderReview}"`);
    }
    return this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOneBy(Recommendation, {
        documentSymbol: input.documentSymbol,
        paragraph: input.paragraph,
      });
      if (existing) {
        throw new DomainError(
          'conflict',
          `${input.documentSymbol} para. ${input.paragraph} already exists as ${existing.id}`,
        );
      }
      const session = input.uprSession ?? null;
      const recommendation = manager.create(Recommendation, {
        id: randomUUID(),
        mechanism: body.kind,
        body: body.code,
        documentSymbol: input.documentSymbol,
        paragraph: input.paragraph,
        text: input.text,
        language: input.language ?? 'en',
        stateUnderReview: state?.iso3 ?? null,
        uprSession: session,
        uprCycle: session ? (uprCycleOfSession(session) ?? null) : null,
        // Stored by UN name, as imports store them; a name the taxonomy does not know stays as given.
        recommendingStates: (input.recommendingStates ?? []).map((name) => resolveState(name)?.name ?? name),
        position: input.position ?? 'pending',
        importedPosition: input.position ?? null,
        sources: [],
      });
      await manager.insert(Recommendation, recommendation);
      await this.outbox.append(
        manager,
        recommendationCreated(recommendation.id, recommendation, recommendation.position),
      );
      return manager.findOneByOrFail(Recommendation, { id: recommendation.id });
    });
  }

  /** With `publishedOnly` (anonymous readers), an unpublished one is 404 as if it did not exist. */
  async get(id: string, options: { publishedOnly?: boolean } = {}): Promise<Recommendation> {
    const recommendation = await this.dataSource.manager.findOneBy(Recommendation, { id });
    if (!recommendation || (options.publishedOnly && !recommendation.published))
      throw DomainError.notFound('Recommendation', id);
    return recommendation;
  }

  async history(id: string): Promise<RecommendationHistory[]> {
    await this.get(id);
    return this.dataSource.manager.find(RecommendationHistory, {
      where: { recommendationId: id },
      order: { version: 'ASC', id: 'ASC' },
    });
  }

  /**
   * The State's own position, with its justification. Later imports keep updating the UN's record of
   * the position (imported_position) but no longer override this one.
   */
  async setPosition(
    id: string,
    position: Position,
    justification: string,
    actor?: string,
  ): Promise<Recommendation> {
    return this.dataSource.transaction(async (manager) => {
      const current = await manager.findOne(Recommendation, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) throw DomainError.notFound('Recommendation', id);
      if (current.position === position && current.positionJustification === justification) return current;
      const version = current.version + 1;
      await manager.update(Recommendation, id, {
        position,
        positionJustification: justification,
        positionEditedAt: new Date(),
        positionEditedBy: actor ?? null,
        version,
        updatedAt: new Date(),
      });
      await manager.insert(RecommendationHistory, {
        recommendationId: id,
        version,
        kind: 'position',
        actor: actor ?? null,
        importId: null,
        justification,
        changes: { position: { from: current.position, to: position } },
      });
      const updated = await manager.findOneByOrFail(Recommendation, { id });
      await this.outbox.append(
        manager,
        recommendationUpdated(id, version, updated, position, ['position'], updated.published, justification),
      );
      return updated;
    });
  }
}

import { Injectable } from '@nestjs/common';
import { RecommendationPosition } from '@nmirf/contracts';
import { DomainError, EventOutbox } from '@nmirf/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Recommendation, type Position } from './recommendation.entity';

export interface NewRecommendation {
  mechanism: string;
  documentSymbol: string;
  paragraph: string;
  text: string;
  recommendingStates?: string[];
  position?: Position;
}

const contractPosition: Record<Position, RecommendationPosition> = {
  supported: RecommendationPosition.SUPPORTED,
  noted: RecommendationPosition.NOTED,
  supported_in_part: RecommendationPosition.SUPPORTED_IN_PART,
  pending: RecommendationPosition.PENDING,
};

@Injectable()
export class RecommendationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
  ) {}

  /** Document symbol + paragraph identify a recommendation: the same one cannot be entered twice. */
  async create(input: NewRecommendation): Promise<Recommendation> {
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
      const recommendation = manager.create(Recommendation, {
        id: randomUUID(),
        mechanism: input.mechanism.toUpperCase(),
        documentSymbol: input.documentSymbol,
        paragraph: input.paragraph,
        text: input.text,
        recommendingStates: input.recommendingStates ?? [],
        position: input.position ?? 'pending',
      });
      await manager.insert(Recommendation, recommendation);
      await this.outbox.append(manager, {
        case: 'recommendationCreated',
        aggregateId: recommendation.id,
        payload: {
          recommendationId: recommendation.id,
          mechanism: recommendation.mechanism,
          documentSymbol: recommendation.documentSymbol,
          paragraph: recommendation.paragraph,
          text: recommendation.text,
          recommendingStates: recommendation.recommendingStates,
          position: contractPosition[recommendation.position],
        },
      });
      return recommendation;
    });
  }

  async get(id: string): Promise<Recommendation> {
    const recommendation = await this.dataSource.manager.findOneBy(Recommendation, { id });
    if (!recommendation) throw DomainError.notFound('Recommendation', id);
    return recommendation;
  }

  async list(filter: { mechanism?: string; documentSymbol?: string; limit: number; offset: number }) {
    const [items, total] = await this.dataSource.manager.findAndCount(Recommendation, {
      where: {
        ...(filter.mechanism ? { mechanism: filter.mechanism.toUpperCase() } : {}),
        ...(filter.documentSymbol ? { documentSymbol: filter.documentSymbol } : {}),
      },
      order: { documentSymbol: 'ASC', paragraph: 'ASC', id: 'ASC' },
      take: filter.limit,
      skip: filter.offset,
    });
    return { items, total };
  }
}

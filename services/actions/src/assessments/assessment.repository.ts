import type { EntityManager } from 'typeorm';
import { KnownRecommendation } from '../recommendations/known-recommendation.entity';
import { Assessment } from './assessment.entity';

export interface AssessmentPage {
  limit: number;
  offset: number;
}

/** The assessments' SQL, in the caller's transaction. */
export class AssessmentRepository {
  constructor(readonly manager: EntityManager) {}

  /** Withdrawn ones too: the policy decides what the caller learns of them. */
  find(id: string, options: { lock?: boolean } = {}): Promise<Assessment | null> {
    const query = this.manager
      .createQueryBuilder(Assessment, 'assessment')
      .where('assessment.id = :id', { id });
    if (options.lock) query.setLock('pessimistic_write');
    return query.getOne();
  }

  recommendationKnown(recommendationId: string): Promise<boolean> {
    return this.manager.existsBy(KnownRecommendation, { id: recommendationId });
  }

  /**
   * A recommendation's assessments that are not withdrawn and are either published or written by
   * one of `draftsOf` (organisation ids, any case); oldest first.
   */
  async listed(
    recommendationId: string,
    draftsOf: readonly string[],
    page: AssessmentPage,
  ): Promise<{ items: Assessment[]; total: number }> {
    const [items, total] = await this.manager
      .createQueryBuilder(Assessment, 'assessment')
      .where('assessment.recommendationId = :recommendationId', { recommendationId })
      .andWhere('assessment.withdrawnAt IS NULL')
      .andWhere(
        '(assessment.published OR lower(assessment.authorOrganisationId) = ANY (:draftsOf::text[]))',
        { draftsOf: draftsOf.map((organisation) => organisation.toLowerCase()) },
      )
      .orderBy('assessment.createdAt', 'ASC')
      .addOrderBy('assessment.id', 'ASC')
      .take(page.limit)
      .skip(page.offset)
      .getManyAndCount();
    return { items, total };
  }

  async insert(assessment: Assessment): Promise<void> {
    await this.manager.insert(Assessment, assessment);
  }

  async save(assessment: Assessment): Promise<void> {
    await this.manager.save(Assessment, assessment);
  }
}

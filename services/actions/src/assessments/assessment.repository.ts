import type { EntityManager } from 'typeorm';
import { KnownRecommendation } from '../recommendations/known-recommendation.entity';
import type { EvidenceFile } from './assessment';
import { AssessmentFile } from './assessment-file.entity';
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

  /** The evidence files of each of the assessments, oldest first. */
  async filesOf(assessmentIds: readonly string[]): Promise<Map<string, EvidenceFile[]>> {
    const files = new Map<string, EvidenceFile[]>(assessmentIds.map((id) => [id, []]));
    if (assessmentIds.length === 0) return files;
    const rows = await this.manager
      .createQueryBuilder(AssessmentFile, 'file')
      .where('file.assessmentId = ANY (:ids::uuid[])', { ids: [...assessmentIds] })
      .orderBy('file.uploadedAt', 'ASC')
      .addOrderBy('file.sha256', 'ASC')
      .getMany();
    for (const row of rows) files.get(row.assessmentId)?.push(evidenceFile(row));
    return files;
  }

  async file(assessmentId: string, sha256: string): Promise<EvidenceFile | null> {
    const row = await this.manager.findOneBy(AssessmentFile, { assessmentId, sha256 });
    return row && evidenceFile(row);
  }

  /** Attaches the file; false when the assessment already shows these bytes. */
  async attach(file: Omit<AssessmentFile, 'uploadedAt' | 'assessment'>): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `INSERT INTO assessment_files (assessment_id, sha256, file_name, media_type, size, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (assessment_id, sha256) DO NOTHING
       RETURNING sha256`,
      [file.assessmentId, file.sha256, file.fileName, file.mediaType, file.size, file.uploadedBy],
    );
    return rows.length > 0;
  }

  /** False when the assessment did not show this file. */
  async detach(assessmentId: string, sha256: string): Promise<boolean> {
    const result = await this.manager.delete(AssessmentFile, { assessmentId, sha256 });
    return (result.affected ?? 0) > 0;
  }

  async insert(assessment: Assessment): Promise<void> {
    await this.manager.insert(Assessment, assessment);
  }

  async save(assessment: Assessment): Promise<void> {
    await this.manager.save(Assessment, assessment);
  }
}

const evidenceFile = (row: AssessmentFile): EvidenceFile => ({
  sha256: row.sha256,
  name: row.fileName,
  mediaType: row.mediaType,
  size: row.size,
  uploadedAt: row.uploadedAt,
});

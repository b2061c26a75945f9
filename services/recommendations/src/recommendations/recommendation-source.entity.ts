import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Recommendation } from './recommendation.entity';

/**
 * What one source last said about a recommendation. Comparing a re-import with its own source's
 * snapshot (not with the merged record) keeps re-imports idempotent whatever order the files come in.
 */
@Entity({ name: 'recommendation_sources' })
export class RecommendationSource {
  @PrimaryColumn('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  // No foreign key: triggers keep the snapshots (migration 1767000001300-lighter-import-writes).
  @ManyToOne(() => Recommendation, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'recommendation_id' })
  recommendation?: Recommendation;

  @PrimaryColumn('text')
  source: string;

  @Column('jsonb')
  data: Record<string, unknown>;

  @Column('text', { name: 'content_hash' })
  contentHash: string;

  @Column('uuid', { name: 'import_id', nullable: true })
  importId: string | null;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}

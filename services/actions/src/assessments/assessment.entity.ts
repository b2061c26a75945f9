import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { KnownRecommendation } from '../recommendations/known-recommendation.entity';
import type { AssessmentStatus, AuthorKind, EvidenceLink } from './assessment';

/**
 * An NHRI's or civil-society organisation's assessment of a recommendation's implementation.
 * Withdrawn, never deleted: the row stays, hidden, and the audit trail keeps every version.
 */
@Entity({ name: 'assessments' })
@Index('assessments_recommendation', { synchronize: false })
@Index('assessments_author_organisation', { synchronize: false })
@Check(
  'assessments_status',
  `status IN ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'no_longer_applicable')`,
)
@Check('assessments_author_kind', `author_kind IN ('nhri', 'civil_society')`)
@Check('assessments_published_when', `published = (published_at IS NOT NULL AND published_by IS NOT NULL)`)
@Check('assessments_withdrawn_unpublished', `withdrawn_at IS NULL OR NOT published`)
export class Assessment {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @ManyToOne(() => KnownRecommendation)
  @JoinColumn({ name: 'recommendation_id', foreignKeyConstraintName: 'assessments_recommendation_id_fkey' })
  recommendation?: KnownRecommendation;

  /** One of the author's organisations, as their token's institutions claim spells it. */
  @Column('text', { name: 'author_organisation_id' })
  authorOrganisationId: string;

  @Column('text', { name: 'author_kind' })
  authorKind: AuthorKind;

  /** The token subject of the person who wrote it first. */
  @Column('text', { name: 'author_subject' })
  authorSubject: string;

  @Column('text')
  status: AssessmentStatus;

  @Column('text')
  narrative: string;

  @Column('jsonb')
  links: EvidenceLink[];

  @Column('boolean', { default: false })
  published: boolean;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;

  @Column('text', { name: 'published_by', nullable: true })
  publishedBy: string | null;

  @Column('timestamptz', { name: 'withdrawn_at', nullable: true })
  withdrawnAt: Date | null;

  @Column('text', { name: 'withdrawn_by', nullable: true })
  withdrawnBy: string | null;

  /** Counts writes; the ETag, so an edit based on a stale read is refused. */
  @Column('integer', { default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** The token subject of the last person who changed it. */
  @Column('text', { name: 'updated_by' })
  updatedBy: string;
}

import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Recommendation } from '../recommendations/recommendation.entity';

export const LINK_STATUSES = ['candidate', 'confirmed', 'rejected'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

/**
 * Two recommendations on the same or a closely related subject. Detection writes candidates; a
 * coordinator's decision is kept, and later detection runs never overwrite it.
 */
@Entity({ name: 'recommendation_links' })
@Index('recommendation_links_pair', ['aId', 'bId'], { unique: true })
@Index('recommendation_links_b', ['bId'])
@Check('recommendation_links_ordered', '"a_id" < "b_id"')
export class RecommendationLink {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'a_id' })
  aId: string;

  // No foreign key: triggers keep the links (migration 1767000001200-links-kept-by-triggers).
  @ManyToOne(() => Recommendation, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'a_id' })
  a?: Recommendation;

  @Column('uuid', { name: 'b_id' })
  bId: string;

  // No foreign key: triggers keep the links (migration 1767000001200-links-kept-by-triggers).
  @ManyToOne(() => Recommendation, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'b_id' })
  b?: Recommendation;

  @Column('real')
  score: number;

  @Column('text')
  method: string;

  @Column('jsonb')
  explanation: Record<string, unknown>;

  @Column('text', { default: 'candidate' })
  status: LinkStatus;

  @Column('text', { name: 'decided_by', nullable: true })
  decidedBy: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column('text', { nullable: true })
  note: string | null;

  @Column('timestamptz', { name: 'detected_at', default: () => 'now()' })
  detectedAt: Date;
}

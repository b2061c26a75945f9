import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Recommendation } from '../recommendations/recommendation.entity';

/**
 * What link detection last compared a recommendation as: a hash of its State, language and text. A
 * recommendation whose hash differs (or that has none) is new or changed, and the next detection
 * compares it with the rest of its State; the others' pairs among themselves stay as detected.
 */
@Entity({ name: 'recommendation_link_checks' })
export class RecommendationLinkCheck {
  @PrimaryColumn('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'recommendation_id',
    foreignKeyConstraintName: 'recommendation_link_checks_recommendation_id_fkey',
  })
  recommendation?: Recommendation;

  @Column('text', { name: 'text_hash' })
  textHash: string;

  @Column('timestamptz', { name: 'checked_at', default: () => 'now()' })
  checkedAt: Date;
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Recommendation } from './recommendation.entity';

/** One change to a recommendation: the fields before and after, and who or what made it. */
@Entity({ name: 'recommendation_history' })
@Index('recommendation_history_recommendation', ['recommendationId', 'version'])
export class RecommendationHistory {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'recommendation_id',
    foreignKeyConstraintName: 'recommendation_history_recommendation_id_fkey',
  })
  recommendation?: Recommendation;

  @Column('integer')
  version: number;

  /** created, import or position. */
  @Column('text')
  kind: string;

  @Column('uuid', { name: 'import_id', nullable: true })
  importId: string | null;

  @Column('text', { nullable: true })
  actor: string | null;

  @Column('jsonb')
  changes: Record<string, { from: unknown; to: unknown }>;

  @Column('text', { nullable: true })
  justification: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  at: Date;
}

import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Institution } from '../institutions/institution.entity';
import { Action } from './action.entity';

/** An institution that supports the lead on an action; it reports progress but cannot close it. */
@Entity({ name: 'action_supporting_institutions' })
@Index('action_supporting_institutions_institution', { synchronize: false })
export class ActionSupportingInstitution {
  @PrimaryColumn('uuid', { name: 'action_id' })
  actionId: string;

  @PrimaryColumn('text', { name: 'institution_id' })
  institutionId: string;

  @ManyToOne(() => Action, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'action_id',
    foreignKeyConstraintName: 'action_supporting_institutions_action_id_fkey',
  })
  action?: Action;

  @ManyToOne(() => Institution)
  @JoinColumn({
    name: 'institution_id',
    foreignKeyConstraintName: 'action_supporting_institutions_institution_id_fkey',
  })
  institution?: Institution;
}

/**
 * A recommendation the action serves. The action's own `recommendation_id` is the first (primary)
 * one and is listed here too; the roll-up reads this table.
 */
@Entity({ name: 'action_recommendations' })
@Index('action_recommendations_recommendation', { synchronize: false })
export class ActionRecommendation {
  @PrimaryColumn('uuid', { name: 'action_id' })
  actionId: string;

  @PrimaryColumn('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @ManyToOne(() => Action, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'action_id', foreignKeyConstraintName: 'action_recommendations_action_id_fkey' })
  action?: Action;
}

import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { ImplementationStatus } from './implementation-status';

/** The coordinator's override in force for a recommendation, with its justification. */
@Entity({ name: 'implementation_overrides' })
@Check(
  'implementation_overrides_status',
  `status IN ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'no_longer_applicable')`,
)
@Check('implementation_overrides_justification', `btrim(justification) <> ''`)
export class ImplementationOverride {
  @PrimaryColumn('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @Column('text')
  status: ImplementationStatus;

  @Column('text')
  justification: string;

  /** The token subject of the coordinator who decided. */
  @Column('text')
  actor: string;

  @Column('timestamptz', { name: 'decided_at', default: () => 'now()' })
  decidedAt: Date;
}

export const OVERRIDE_CHANGES = ['set', 'removed'] as const;
export type OverrideChange = (typeof OVERRIDE_CHANGES)[number];

/**
 * Every override set or removed, with its justification: append-only (a trigger refuses updates and
 * deletes), so the reasons for a recommendation's status stay on record after the override goes.
 */
@Entity({ name: 'implementation_override_history' })
@Index('implementation_override_history_recommendation', ['recommendationId', 'id'])
@Check('implementation_override_history_change', `change IN ('set', 'removed')`)
@Check('implementation_override_history_justification', `btrim(justification) <> ''`)
export class ImplementationOverrideHistory {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @Column('text')
  change: OverrideChange;

  /** The status set; for a removal, the one removed. */
  @Column('text')
  status: ImplementationStatus;

  @Column('text')
  justification: string;

  @Column('text')
  actor: string;

  @Column('timestamptz', { name: 'decided_at', default: () => 'now()' })
  decidedAt: Date;
}

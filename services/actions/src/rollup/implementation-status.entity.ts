import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DerivedImplementationStatus, ImplementationStatus } from './implementation-status';

/**
 * A recommendation's implementation status as last worked out: what its actions say and what is in
 * force. The event goes out when `effective` changes; no row means not started, nothing published.
 */
@Entity({ name: 'implementation_status' })
@Check(
  'implementation_status_derived',
  `derived IN ('not_started', 'in_progress', 'partially_implemented', 'implemented')`,
)
@Check(
  'implementation_status_effective',
  `effective IN ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'no_longer_applicable')`,
)
export class ImplementationStatusRecord {
  @PrimaryColumn('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @Column('text')
  derived: DerivedImplementationStatus;

  @Column('text')
  effective: ImplementationStatus;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

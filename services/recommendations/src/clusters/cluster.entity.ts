import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Recommendation } from '../recommendations/recommendation.entity';

export const CLUSTER_BASES = ['theme', 'group', 'sdg', 'heading', 'linked', 'custom'] as const;
export type ClusterBasis = (typeof CLUSTER_BASES)[number];

/** A national cluster of recommendations: the unit an implementation plan attaches to. */
@Entity({ name: 'clusters' })
@Index('clusters_name', { synchronize: false })
export class Cluster {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  basis: ClusterBasis;

  /** The theme, group or SDG key a suggested cluster came from. */
  @Column('text', { name: 'basis_key', nullable: true })
  basisKey: string | null;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('text', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'cluster_members' })
@Index('cluster_members_recommendation', ['recommendationId'])
export class ClusterMember {
  @PrimaryColumn('uuid', { name: 'cluster_id' })
  clusterId: string;

  @ManyToOne(() => Cluster, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cluster_id', foreignKeyConstraintName: 'cluster_members_cluster_id_fkey' })
  cluster?: Cluster;

  @PrimaryColumn('uuid', { name: 'recommendation_id' })
  recommendationId: string;

  @ManyToOne(() => Recommendation, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'recommendation_id',
    foreignKeyConstraintName: 'cluster_members_recommendation_id_fkey',
  })
  recommendation?: Recommendation;

  @Column('timestamptz', { name: 'added_at', default: () => 'now()' })
  addedAt: Date;
}

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
import type { InstitutionKind } from './institution';

/**
 * An entry of the directory. The id is what the access token's institutions claim carries; actions
 * refer to it. An institution is deactivated, never deleted: actions, history and events keep its id.
 */
@Entity({ name: 'institutions' })
// Ids compare case-insensitively, as the claim does: unique on lower(id).
@Index('institutions_id_lower', { synchronize: false })
@Index('institutions_parent', ['parentId'])
@Check(
  'institutions_kind',
  `kind IN ('ministry', 'agency', 'parliament', 'judiciary', 'nhri', 'civil_society', 'other')`,
)
export class Institution {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  kind: InstitutionKind;

  @Column('text', { name: 'parent_id', nullable: true })
  parentId: string | null;

  @ManyToOne(() => Institution, { nullable: true })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'institutions_parent_id_fkey' })
  parent?: Institution;

  @Column('text', { name: 'name_en' })
  nameEn: string;

  @Column('text', { name: 'name_fr', nullable: true })
  nameFr: string | null;

  @Column('text', { name: 'name_es', nullable: true })
  nameEs: string | null;

  @Column('text', { name: 'name_ru', nullable: true })
  nameRu: string | null;

  @Column('text', { name: 'name_zh', nullable: true })
  nameZh: string | null;

  @Column('text', { name: 'name_ar', nullable: true })
  nameAr: string | null;

  @Column('text', { nullable: true })
  acronym: string | null;

  /** Token subjects of the institution's focal points and validators. */
  @Column('text', { name: 'focal_point_ids', array: true })
  focalPointIds: string[];

  @Column('text', { name: 'validator_ids', array: true })
  validatorIds: string[];

  @Column('boolean', { default: true })
  active: boolean;

  /** Created by the migration from a free-text name no entry matched: the coordinator checks it. */
  @Column('boolean', { name: 'needs_review', default: false })
  needsReview: boolean;

  /** Counts writes; the ETag, so a write based on a stale read is refused. */
  @Column('integer', { default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

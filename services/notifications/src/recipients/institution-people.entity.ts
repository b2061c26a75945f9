import { Column, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The people of an institution, as the actions service's directory last said (InstitutionChanged). */
@Entity({ name: 'institution_people' })
@Index('institution_people_focal_points', ['focalPointIds'])
export class InstitutionPeople {
  @PrimaryColumn('text', { name: 'institution_id' })
  institutionId: string;

  /** Token subjects; an institution's notification is mailed to each of them. */
  @Column('text', { name: 'focal_point_ids', array: true, default: '{}' })
  focalPointIds: string[];

  @Column('text', { name: 'validator_ids', array: true, default: '{}' })
  validatorIds: string[];

  /** The institution's name in each language it is known in, for the mails. */
  @Column('jsonb', { default: {} })
  names: Partial<Record<string, string>>;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Import } from './import.entity';

import type { RowOutcome } from '../catalogue/batch-plan';

export type { RowOutcome };

/** What happened to one row of an imported file, and why. */
@Entity({ name: 'import_rows' })
@Index('import_rows_outcome', ['importId', 'outcome', 'rowNumber'])
@Index('import_rows_with_problems', ['importId', 'rowNumber'], { where: 'cardinality(problems) > 0' })
@Index('import_rows_with_warnings', ['importId', 'rowNumber'], { where: 'cardinality(warnings) > 0' })
export class ImportRow {
  @PrimaryColumn('uuid', { name: 'import_id' })
  importId: string;

  // No foreign key: triggers keep the row report (migration 1767000001300-lighter-import-writes).
  @ManyToOne(() => Import, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'import_id' })
  import?: Import;

  @PrimaryColumn('integer', { name: 'row_number' })
  rowNumber: number;

  @Column('text')
  outcome: RowOutcome;

  @Column('uuid', { name: 'recommendation_id', nullable: true })
  recommendationId: string | null;

  @Column('text', { name: 'document_symbol', nullable: true })
  documentSymbol: string | null;

  @Column('text', { nullable: true })
  paragraph: string | null;

  @Column('text', { name: 'changed_fields', array: true, default: () => "'{}'" })
  changedFields: string[];

  @Column('text', { array: true, default: () => "'{}'" })
  problems: string[];

  /** Read, but not clearly: a label that reaches no filter, a second body in one cell… */
  @Column('text', { array: true, default: () => "'{}'" })
  warnings: string[];
}

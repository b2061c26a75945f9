import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const REPORT_KINDS = ['action-progress'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_FORMATS = ['csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export type ReportStatus = 'queued' | 'compiling' | 'ready' | 'failed';

export interface ReportFilters {
  institution?: string;
}

/** A requested report. The row, not the queue, says what is left to do: Redis can be lost. */
@Entity({ name: 'reports' })
@Index('reports_requested_at', ['requestedAt'])
@Index('reports_status', ['status'])
export class Report {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  kind: ReportKind;

  @Column('text')
  format: ReportFormat;

  @Column('jsonb')
  filters: ReportFilters;

  @Column('text', { default: 'queued' })
  status: ReportStatus;

  @Column('text', { name: 'file_name', nullable: true })
  fileName: string | null;

  @Column('integer', { name: 'row_count', nullable: true })
  rowCount: number | null;

  @Column('text', { nullable: true })
  sha256: string | null;

  @Column('text', { nullable: true })
  error: string | null;

  @CreateDateColumn({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column('timestamptz', { name: 'compiled_at', nullable: true })
  compiledAt: Date | null;
}

import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

import { DOCUMENT_FORMATS, type DocumentKind } from '../documents/layouts';
import type { ReportLanguage } from '../documents/messages';

export const REPORT_KINDS = [
  'action-progress',
  'upr-annex',
  'treaty-follow-up',
  'task-list',
  'thematic-matrix',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_FORMATS = ['csv', 'docx', 'pdf', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export type ReportStatus = 'queued' | 'compiling' | 'ready' | 'failed';

/** The formats each kind is produced in. */
export const FORMATS_OF_KIND: Record<ReportKind, readonly ReportFormat[]> = {
  'action-progress': ['csv'],
  ...(DOCUMENT_FORMATS as Record<DocumentKind, readonly ReportFormat[]>),
};

/** What the report covers; which ones a kind needs is checked when it is requested. */
export interface ReportFilters {
  /** Task list and action progress: the institution (directory id). */
  institution?: string;
  /** UPR annex, thematic matrix, treaty-body follow-up: the State under review (ISO 3166 alpha-3). */
  state?: string;
  /** UPR annex and thematic matrix. */
  cycle?: number;
  /** Treaty-body follow-up: the committee (CEDAW, CAT, …), its concluding observations and the paragraphs it marked. */
  committee?: string;
  documentSymbol?: string;
  paragraphs?: string[];
  /** UPR annex and thematic matrix: sections by theme (the OHCHR matrices' way, the default) or by national cluster. */
  groupBy?: AnnexGrouping;
}

export const ANNEX_GROUPINGS = ['theme', 'cluster'] as const;
export type AnnexGrouping = (typeof ANNEX_GROUPINGS)[number];

/** A requested report. The row, not the queue, says what is left to do: Redis can be lost. */
@Entity({ name: 'reports' })
@Index('reports_requested_at', ['requestedAt'])
@Index('reports_status', ['status'])
@Index('reports_expires_at', ['expiresAt'])
@Check('reports_progress', 'progress BETWEEN 0 AND 100')
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

  /** Labels, headings and status names in this language; content stays as entered. */
  @Column('text', { default: 'en' })
  language: ReportLanguage;

  /** 0–100 while compiling. */
  @Column('integer', { default: 0 })
  progress: number;

  /** The token subject that asked for it. */
  @Column('text', { name: 'requested_by', nullable: true })
  requestedBy: string | null;

  /** Words in the document (annex and matrix), against the national report's 10,700. */
  @Column('integer', { name: 'word_count', nullable: true })
  wordCount: number | null;

  /** The file and the row are deleted after this (REPORT_RETENTION_DAYS from compilation). */
  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt: Date | null;
}

import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

export const IMPORT_FORMATS = ['uhri', 'upr_matrix', 'template'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * queued → running → previewed (dry run) | applied | rejected (rows failed, nothing applied) | failed
 * (the file could not be read, the catalogue changed since the preview, or the job gave up: nothing
 * applied). A worker that stops mid-import leaves it running; the job runs it again from the start.
 */
export type ImportStatus = 'queued' | 'running' | 'previewed' | 'applied' | 'rejected' | 'failed';

/** Where a running import is, for progress: reading the file, planning or applying batches, linking. */
export const IMPORT_PHASES = [
  'queued',
  'reading',
  'planning',
  'applying',
  'linking',
  'done',
  'failed',
  'refused',
] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

/** What the job needs besides the file: the format asked for and a matrix's context. */
export interface ImportOptions {
  format?: ImportFormat;
  documentSymbol?: string;
  stateUnderReview?: string;
  uprSession?: number;
}

/** pg returns bigint as a string; these values stay far below 2^53, so they are JSON numbers. */
const bigintNumber = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** One uploaded file and what importing it did. */
@Entity({ name: 'imports' })
@Index('imports_started', ['startedAt'])
@Index('imports_preview_of', ['previewOf'])
export class Import {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  format: ImportFormat;

  @Column('text')
  filename: string;

  @Column('bigint', { name: 'byte_size', transformer: bigintNumber })
  byteSize: number;

  /** Also the file's key in the import storage, where the worker reads it. */
  @Column('text')
  sha256: string;

  @Column('boolean', { name: 'dry_run' })
  dryRun: boolean;

  /** Apply the valid rows even when others are rejected. */
  @Column('boolean', { name: 'skip_invalid' })
  skipInvalid: boolean;

  @Column('text')
  status: ImportStatus;

  @Column('text', { default: 'queued' })
  phase: ImportPhase;

  @Column('integer', { name: 'rows_read', default: 0 })
  rowsRead: number;

  /** Rows written so far in the import's transaction; 0 once an import ends without applying. */
  @Column('integer', { name: 'rows_applied', default: 0 })
  rowsApplied: number;

  @Column('integer', { default: 0 })
  created: number;

  @Column('integer', { default: 0 })
  updated: number;

  @Column('integer', { default: 0 })
  unchanged: number;

  @Column('integer', { default: 0 })
  rejected: number;

  @Column('jsonb', { nullable: true })
  error: { code: string; message: string } | null;

  /** Link detection over the States an applied import touched: queued, running, done or failed. */
  @Column('text', { name: 'links_status', nullable: true })
  linksStatus: 'queued' | 'running' | 'done' | 'failed' | null;

  @Column('jsonb', { default: () => "'{}'" })
  options: ImportOptions;

  /** Runs of the job so far: a file that stops the worker every time is given up on. */
  @Column('integer', { default: 0 })
  attempts: number;

  /** A preview: the catalogue it was planned against; an apply: the catalogue it must still find. */
  @Column('bigint', { name: 'catalogue_version', nullable: true, transformer: bigintNumber })
  catalogueVersion: number | null;

  /** An apply: the preview whose plan it applies. */
  @ManyToOne(() => Import, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'preview_of', foreignKeyConstraintName: 'imports_preview_of_fkey' })
  preview?: Import | null;

  @Column('uuid', { name: 'preview_of', nullable: true })
  previewOf: string | null;

  /** The States whose recommendations an applied import changed, for link detection. */
  @Column('text', { name: 'touched_states', array: true, default: () => "'{}'" })
  touchedStates: string[];

  @Column('text', { nullable: true })
  actor: string | null;

  @Column('timestamptz', { name: 'started_at', default: () => 'now()' })
  startedAt: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}

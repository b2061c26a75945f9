import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const IMPORT_FORMATS = ['uhri', 'upr_matrix', 'template'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * running → previewed (dry run) | applied | rejected (rows failed, nothing applied) | failed (the file
 * could not be read, or the server stopped: nothing applied).
 */
export type ImportStatus = 'running' | 'previewed' | 'applied' | 'rejected' | 'failed';

/** One uploaded file and what importing it did. */
@Entity({ name: 'imports' })
@Index('imports_started', ['startedAt'])
export class Import {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  format: ImportFormat;

  @Column('text')
  filename: string;

  /** pg returns bigint as a string; a file's size is far below 2^53, so it is a JSON number. */
  @Column('bigint', {
    name: 'byte_size',
    transformer: {
      to: (value: number) => value,
      from: (value: string | null) => (value === null ? null : Number(value)),
    },
  })
  byteSize: number;

  @Column('text')
  sha256: string;

  @Column('boolean', { name: 'dry_run' })
  dryRun: boolean;

  /** Apply the valid rows even when others are rejected. */
  @Column('boolean', { name: 'skip_invalid' })
  skipInvalid: boolean;

  @Column('text')
  status: ImportStatus;

  @Column('integer', { name: 'rows_read', default: 0 })
  rowsRead: number;

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

  /** Link detection over the States an applied import touched: running, done or failed. */
  @Column('text', { name: 'links_status', nullable: true })
  linksStatus: 'running' | 'done' | 'failed' | null;

  @Column('text', { nullable: true })
  actor: string | null;

  @Column('timestamptz', { name: 'started_at', default: () => 'now()' })
  startedAt: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}

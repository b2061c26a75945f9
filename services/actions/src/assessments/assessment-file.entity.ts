import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { EvidenceMediaType } from '@nmirf/platform';
import { Assessment } from './assessment.entity';

/**
 * An evidence file attached to an assessment. The bytes live in the platform's BlobStore under their
 * SHA-256; this row says which assessment shows them, under what name.
 */
@Entity({ name: 'assessment_files' })
@Check('assessment_files_sha256', `sha256 ~ '^[0-9a-f]{64}$'`)
export class AssessmentFile {
  @PrimaryColumn('uuid', { name: 'assessment_id' })
  assessmentId: string;

  @ManyToOne(() => Assessment)
  @JoinColumn({ name: 'assessment_id', foreignKeyConstraintName: 'assessment_files_assessment_id_fkey' })
  assessment?: Assessment;

  @PrimaryColumn('text')
  sha256: string;

  /** The uploader's file name, for display and downloads only. */
  @Column('text', { name: 'file_name' })
  fileName: string;

  /** Detected from the content when it was stored. */
  @Column('text', { name: 'media_type' })
  mediaType: EvidenceMediaType;

  @Column('integer')
  size: number;

  @Column('text', { name: 'uploaded_by' })
  uploadedBy: string;

  @CreateDateColumn({ name: 'uploaded_at', type: 'timestamptz' })
  uploadedAt: Date;
}

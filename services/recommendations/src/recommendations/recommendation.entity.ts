import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ImplementationStatus } from '../implementation/implementation-status';
import type { MechanismKind, Position, RecommendationType } from '../catalogue/position';

// The catalogue's vocabulary lives in its ORM-free core; re-exported for the entity's readers.
export {
  MECHANISM_KINDS,
  POSITIONS,
  RECOMMENDATION_TYPES,
  type MechanismKind,
  type Position,
  type RecommendationType,
} from '../catalogue/position';

const textArray = (name: string) => ({ name, type: 'text', array: true, default: () => "'{}'" }) as const;

/**
 * A recommendation (or observation, pledge…) received from a mechanism, merged from every source that
 * carried it. Indexes TypeORM cannot express (GIN, full text) are declared with synchronize: false.
 */
@Entity({ name: 'recommendations' })
@Index('recommendations_source', ['documentSymbol', 'paragraph'], { unique: true })
@Index('recommendations_body', ['body'])
@Index('recommendations_annotation', ['annotationId'], { unique: true })
@Index('recommendations_filters', ['mechanism', 'body', 'uprCycle', 'uprSession'])
@Index('recommendations_published', ['publishedOn'])
@Index('recommendations_state_under_review', ['stateUnderReview'])
@Index('recommendations_implementation_status', ['implementationStatus'])
@Check(
  'recommendations_implementation_status_known',
  `implementation_status IN ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'no_longer_applicable')`,
)
export class Recommendation {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { default: 'upr' })
  mechanism: MechanismKind;

  /** UPR, a treaty body code (CEDAW…), a Special Procedures mandate, a regional body, NAP or a pledge. */
  @Column('text')
  body: string;

  /** Every body a joint text comes from (several Special Procedures mandates), `body` first; empty in rows stored before it, meaning `[body]`. */
  @Column(textArray('bodies'))
  bodies: string[];

  @Column('text', { default: 'recommendation' })
  type: RecommendationType;

  @Column('text', { name: 'document_symbol' })
  documentSymbol: string;

  @Column('text')
  paragraph: string;

  @Column('text')
  text: string;

  @Column('text', { default: 'en' })
  language: string;

  /** ISO 3166 alpha-3. */
  @Column('text', { name: 'state_under_review', nullable: true })
  stateUnderReview: string | null;

  @Column('smallint', { name: 'upr_cycle', nullable: true })
  uprCycle: number | null;

  @Column('smallint', { name: 'upr_session', nullable: true })
  uprSession: number | null;

  @Column('date', { name: 'published_on', nullable: true })
  publishedOn: string | null;

  /** When the UHRI published it. */
  @Column('date', { name: 'indexed_on', nullable: true })
  indexedOn: string | null;

  @Column(textArray('recommending_states'))
  recommendingStates: string[];

  @Column(textArray('recommending_regions'))
  recommendingRegions: string[];

  @Column(textArray('regions'))
  regions: string[];

  /** The position in force: the imported one unless the State edited it. */
  @Column('text', { default: 'pending' })
  position: Position;

  @Column('text', { name: 'imported_position', nullable: true })
  importedPosition: Position | null;

  /** Where the position was stated, e.g. "A/HRC/28/15/Add.1 - Para. 3". */
  @Column('text', { name: 'position_source', nullable: true })
  positionSource: string | null;

  @Column('text', { name: 'position_justification', nullable: true })
  positionJustification: string | null;

  @Column('timestamptz', { name: 'position_edited_at', nullable: true })
  positionEditedAt: Date | null;

  @Column('text', { name: 'position_edited_by', nullable: true })
  positionEditedBy: string | null;

  /** Theme concept keys, the same whatever the cycle's vocabulary. */
  @Column(textArray('themes'))
  themes: string[];

  /** Themes as the source spelled them, including any without a known concept. */
  @Column(textArray('theme_labels'))
  themeLabels: string[];

  @Column(textArray('groups'))
  groups: string[];

  @Column(textArray('group_labels'))
  groupLabels: string[];

  @Column(textArray('sdg_goals'))
  sdgGoals: string[];

  @Column(textArray('sdg_targets'))
  sdgTargets: string[];

  /** The OHCHR matrix headings the recommendation sat under. */
  @Column(textArray('cluster_headings'))
  clusterHeadings: string[];

  @Column('uuid', { name: 'annotation_id', nullable: true })
  annotationId: string | null;

  /** Which sources carried it: uhri, upr_matrix, template, manual. */
  @Column(textArray('sources'))
  sources: string[];

  @Column('integer', { default: 1 })
  version: number;

  /** Rolled up from the actions by the actions service (its events); derived, so not versioned. */
  @Column('text', { name: 'implementation_status', default: 'not_started' })
  implementationStatus: ImplementationStatus;

  /** Set by the coordinator: anonymous readers see published recommendations only. */
  @Column('boolean', { default: false })
  published: boolean;

  /** Kept by a trigger from text and language; never read back. */
  @Column({
    type: 'tsvector',
    name: 'search_vector',
    nullable: true,
    select: false,
    insert: false,
    update: false,
  })
  searchVector?: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}

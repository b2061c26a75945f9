import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ImplementationStatus } from './implementation-status';

/** What reports show about a recommendation, from RecommendationCreated and RecommendationUpdated. */
@Entity({ name: 'recommendation_view' })
@Check(
  'recommendation_view_implementation_status',
  `implementation_status IN ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'no_longer_applicable')`,
)
@Index('recommendation_view_status', ['implementationStatus', 'id'])
@Index('recommendation_view_document', ['documentSymbol', 'paragraph', 'id'])
@Index('recommendation_view_themes', { synchronize: false })
@Index('recommendation_view_sdg_targets', { synchronize: false })
export class RecommendationView {
  @PrimaryColumn('uuid')
  id: string;

  /** UPR, CEDAW, CRC, SR-…, as the recommendations service names it. */
  @Column('text')
  mechanism: string;

  @Column('text', { name: 'document_symbol' })
  documentSymbol: string;

  @Column('text')
  paragraph: string;

  /** supported, noted, supported_in_part, pending or unspecified. */
  @Column('text')
  position: string;

  @Column('text', { name: 'recommending_states', array: true })
  recommendingStates: string[];

  /** From RecommendationImplementationStatusChanged; not started until one arrives. */
  @Column('text', { name: 'implementation_status', default: 'not_started' })
  implementationStatus: ImplementationStatus;

  /** Since when it has had that status (the event's time); null while not started by default. */
  @Column('timestamptz', { name: 'implementation_status_at', nullable: true })
  implementationStatusAt: Date | null;

  @Column('text', { default: '' })
  text: string;

  /** upr, treaty_body, special_procedure, regional, voluntary_pledge or national_plan. */
  @Column('text', { name: 'mechanism_kind', default: '' })
  mechanismKind: string;

  /** ISO 3166 alpha-3. */
  @Column('text', { name: 'state_under_review', default: '' })
  stateUnderReview: string;

  /** 0 when not a UPR recommendation. */
  @Column('integer', { name: 'upr_cycle', default: 0 })
  uprCycle: number;

  @Column('integer', { name: 'upr_session', default: 0 })
  uprSession: number;

  /** Theme concept keys, stable across the UPR cycles' vocabularies (the crosswalk's). */
  @Column('text', { array: true, default: '{}' })
  themes: string[];

  /** SDG targets such as 16.3; the goal is the part before the dot. */
  @Column('text', { name: 'sdg_targets', array: true, default: '{}' })
  sdgTargets: string[];

  /** Cluster ids, when the recommendations service's events carry them. */
  @Column('text', { array: true, default: '{}' })
  clusters: string[];

  @Column('text', { name: 'annotation_id', default: '' })
  annotationId: string;

  /** Published by the coordinator: what the public dashboard counts. */
  @Column('boolean', { default: false })
  published: boolean;

  @Column('integer', { default: 0 })
  version: number;
}

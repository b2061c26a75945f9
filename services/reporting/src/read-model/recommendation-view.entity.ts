import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import type { ImplementationStatus } from './implementation-status';

/** What reports show about a recommendation, from RecommendationCreated and RecommendationUpdated. */
@Entity({ name: 'recommendation_view' })
@Check(
  'recommendation_view_implementation_status',
  `implementation_status IN ('not_started', 'in_progress', 'partially_implemented', 'implemented', 'no_longer_applicable')`,
)
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
}

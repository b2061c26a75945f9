import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What reports show about a recommendation, from RecommendationCreated and RecommendationUpdated. */
@Entity({ name: 'recommendation_view' })
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
}

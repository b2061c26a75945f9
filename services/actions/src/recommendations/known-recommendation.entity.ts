import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The recommendations this service has heard of, from their Created and Updated events. */
@Entity({ name: 'known_recommendations' })
export class KnownRecommendation {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { name: 'document_symbol' })
  documentSymbol: string;

  @Column('text')
  paragraph: string;
}

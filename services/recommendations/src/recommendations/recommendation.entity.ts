import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export const POSITIONS = ['supported', 'noted', 'supported_in_part', 'pending'] as const;
export type Position = (typeof POSITIONS)[number];

/** A recommendation received from a UN or regional mechanism (minimal model; importers come later). */
@Entity({ name: 'recommendations' })
@Index('recommendations_source', ['documentSymbol', 'paragraph'], { unique: true })
@Index('recommendations_mechanism', ['mechanism'])
export class Recommendation {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  mechanism: string;

  @Column('text', { name: 'document_symbol' })
  documentSymbol: string;

  @Column('text')
  paragraph: string;

  @Column('text')
  text: string;

  @Column('text', { name: 'recommending_states', array: true, default: () => "'{}'" })
  recommendingStates: string[];

  @Column('text', { default: 'pending' })
  position: Position;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

import { RecommendationPosition } from '@nmirf/contracts';
import type { PendingEvent } from '@nmirf/platform';
import type { MergedFields } from '../catalogue/merged-record';
import type { Position } from './recommendation.entity';

export const contractPosition: Record<Position, RecommendationPosition> = {
  supported: RecommendationPosition.SUPPORTED,
  noted: RecommendationPosition.NOTED,
  supported_in_part: RecommendationPosition.SUPPORTED_IN_PART,
  pending: RecommendationPosition.PENDING,
};

type EventFields = Pick<
  MergedFields,
  | 'body'
  | 'mechanism'
  | 'documentSymbol'
  | 'paragraph'
  | 'text'
  | 'recommendingStates'
  | 'stateUnderReview'
  | 'uprCycle'
  | 'uprSession'
  | 'themes'
  | 'sdgTargets'
  | 'annotationId'
>;

function details(fields: EventFields, position: Position) {
  return {
    mechanism: fields.body,
    mechanismKind: fields.mechanism,
    documentSymbol: fields.documentSymbol,
    paragraph: fields.paragraph,
    text: fields.text,
    recommendingStates: fields.recommendingStates,
    position: contractPosition[position],
    stateUnderReview: fields.stateUnderReview ?? '',
    uprCycle: fields.uprCycle ?? 0,
    uprSession: fields.uprSession ?? 0,
    themes: fields.themes,
    sdgTargets: fields.sdgTargets,
    annotationId: fields.annotationId ?? '',
  };
}

/** New recommendations, imported or entered by hand, start unpublished. */
export function recommendationCreated(id: string, fields: EventFields, position: Position): PendingEvent {
  return {
    case: 'recommendationCreated',
    aggregateId: id,
    payload: { recommendationId: id, version: 1, published: false, ...details(fields, position) },
  };
}

export function recommendationUpdated(
  id: string,
  version: number,
  fields: EventFields,
  position: Position,
  changedFields: string[],
  published: boolean,
  positionJustification = '',
): PendingEvent {
  return {
    case: 'recommendationUpdated',
    aggregateId: id,
    payload: {
      recommendationId: id,
      version,
      changedFields,
      published,
      positionJustification,
      ...details(fields, position),
    },
  };
}

import type { PendingEvent } from '@nmirf/platform';

/** Ids per ClusterChanged, so accepting a theme of a national catalogue stays well within a Kafka message. */
export const CLUSTER_EVENT_IDS = 5_000;

export interface ClusterChange {
  clusterId: string;
  name: string;
  basis: string;
  added?: readonly string[];
  removed?: readonly string[];
  deleted?: boolean;
}

/** ClusterChanged for one change, split into events of at most CLUSTER_EVENT_IDS ids. */
export function clusterChanged(change: ClusterChange): PendingEvent[] {
  const added = [...(change.added ?? [])];
  const removed = [...(change.removed ?? [])];
  const events: PendingEvent[] = [];
  do {
    events.push({
      case: 'clusterChanged',
      aggregateId: change.clusterId,
      payload: {
        clusterId: change.clusterId,
        name: change.name,
        basis: change.basis,
        addedRecommendationIds: added.splice(0, CLUSTER_EVENT_IDS),
        removedRecommendationIds: removed.splice(0, CLUSTER_EVENT_IDS),
        deleted: change.deleted ?? false,
      },
    });
  } while (added.length > 0 || removed.length > 0);
  return events;
}

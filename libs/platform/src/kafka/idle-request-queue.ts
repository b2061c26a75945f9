/**
 * kafkajs 2.2.4 re-arms a 1 ms timer forever on every broker connection once it has nothing queued and
 * is not throttled (tulios/kafkajs#1556, #1704): each idle connection wakes its process a thousand times
 * a second. This stops the re-arming when there is nothing to wait for; a request queued later still
 * schedules its own check, and a throttled connection still waits for its throttle to end. Applied once,
 * when the platform's Kafka client module loads.
 */
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
}

export function stopIdleRequestQueueTimers(): void {
  // Required, not imported: the class is internal to kafkajs and has no types.
  const { prototype } = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueue };
  const schedule = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function (this: RequestQueue) {
    if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
    schedule.call(this);
  };
}

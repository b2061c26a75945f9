import { stopIdleRequestQueueTimers } from './idle-request-queue';

const RequestQueue = require('kafkajs/src/network/requestQueue');

const silent = { debug: () => undefined, warn: () => undefined, error: () => undefined };

function requestQueue(maxInFlightRequests: number | null = null) {
  return new RequestQueue({
    maxInFlightRequests,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'localhost:9092',
    logger: silent,
  });
}

function request(correlationId: number, sent: number[]) {
  return {
    entry: { correlationId, resolve: () => undefined, reject: () => undefined },
    expectResponse: true,
    sendRequest: () => sent.push(correlationId),
  };
}

describe('stopIdleRequestQueueTimers', () => {
  beforeAll(() => stopIdleRequestQueueTimers());
  afterEach(() => {
    jest.clearAllTimers();
    jest.useRealTimers();
  });

  it('leaves no timer armed on a connection with nothing queued', () => {
    jest.useFakeTimers();
    const queue = requestQueue();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('still sends a request queued behind the in-flight limit once the first is answered', () => {
    jest.useFakeTimers();
    const queue = requestQueue(1);
    const sent: number[] = [];
    queue.push(request(1, sent));
    queue.push(request(2, sent));
    expect(sent).toEqual([1]);
    queue.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(sent).toEqual([1, 2]);
    queue.fulfillRequest({ correlationId: 2, payload: Buffer.alloc(0), size: 0 });
    // The 10 ms check armed while one waited runs once, and arms nothing after it.
    jest.advanceTimersByTime(20);
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('still checks again when a throttle the broker asked for ends', () => {
    jest.useFakeTimers();
    const queue = requestQueue();
    const sent: number[] = [];
    queue.maybeThrottle(50);
    queue.push(request(1, sent));
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(60);
    expect(sent).toEqual([1]);
  });
});

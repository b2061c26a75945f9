import type { EventConsumerOptions } from './event-consumer.server';
import { EventConsumerServer } from './event-consumer.server';
import { unconsumedHandlers } from './handled-topics';

describe('unconsumedHandlers', () => {
  const consumed = ['ci-1.nmirf.actions.action.v1', 'ci-1.nmirf.actions.calendar.v1'];

  it('accepts handlers whose events arrive on consumed topics, whatever the prefix', () => {
    expect(unconsumedHandlers(['ActionAssigned', 'ReportingDeadlineChanged'], consumed)).toEqual([]);
  });

  it('names a handler whose topic is not consumed', () => {
    expect(unconsumedHandlers(['ActionAssigned', 'ProgressReportTransitioned'], consumed)).toEqual([
      'ProgressReportTransitioned: its topic nmirf.actions.progress.v1 is not consumed',
    ]);
  });

  it('names a handler of a type the contracts do not define', () => {
    expect(unconsumedHandlers(['ActionAsigned'], consumed)).toEqual([
      'ActionAsigned: no such event type in the contracts',
    ]);
  });

  it('keeps a consumer from starting with a handler that would never run', () => {
    // Refused before anything connects: the Kafka client and the database are never used.
    const options = { topics: consumed } as EventConsumerOptions;
    const server = new EventConsumerServer(options);
    server.addHandler('ProgressReportTransitioned', async () => undefined, true);
    const started = jest.fn();
    expect(() => server.listen(started)).toThrow(
      'Event handlers that would never run: ProgressReportTransitioned: its topic nmirf.actions.progress.v1 is not consumed',
    );
    expect(started).not.toHaveBeenCalled();
  });
});

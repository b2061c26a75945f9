import { awaitedLater } from './importer';

describe('awaitedLater', () => {
  it('keeps a failure from going unhandled while other work runs, and throws it when awaited', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const work = awaitedLater(Promise.reject(new Error('Connection terminated')));
      // Other work: long enough for Node to report a rejection that has no handler.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(work).rejects.toThrow('Connection terminated');
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});

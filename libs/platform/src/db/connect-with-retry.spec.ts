import { connectWithRetry } from './data-source';

const transient = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('connectWithRetry', () => {
  it('tries again while the database is unreachable, then returns the connection', async () => {
    const connect = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(transient())
      .mockRejectedValueOnce(new Error('Connection terminated due to connection timeout'))
      .mockResolvedValue('connected');
    const retries: number[] = [];
    await expect(connectWithRetry(connect, (_, attempt) => retries.push(attempt))).resolves.toBe('connected');
    expect(connect).toHaveBeenCalledTimes(3);
    expect(retries).toEqual([1, 2]);
  });

  it('fails at once on what trying again cannot mend', async () => {
    const wrongPassword = Object.assign(new Error('password authentication failed for user "nmirf"'), {
      code: '28P01',
    });
    const connect = jest.fn<Promise<string>, []>().mockRejectedValue(wrongPassword);
    const onRetry = jest.fn();
    await expect(connectWithRetry(connect, onRetry)).rejects.toBe(wrongPassword);
    expect(connect).toHaveBeenCalledTimes(1);
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('gives up with the last error once its time is spent', async () => {
    const connect = jest.fn<Promise<string>, []>().mockImplementation(() => Promise.reject(transient()));
    await expect(connectWithRetry(connect, () => undefined, 0)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(connect).toHaveBeenCalledTimes(1);
  });
});

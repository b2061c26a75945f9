import type { BlobStore } from '@nmirf/platform';
import { openOnFirstUse } from './evidence-store';

const store = (): BlobStore => ({
  put: jest.fn(),
  get: jest.fn(),
  has: jest.fn(async () => true),
});

describe('the evidence store opened on first use', () => {
  it('opens nothing until used, then opens once for every later use', async () => {
    const opened = store();
    const open = jest.fn(async () => opened);
    const lazy = openOnFirstUse(open);
    expect(open).not.toHaveBeenCalled();
    await Promise.all([lazy.has('a'.repeat(64)), lazy.has('b'.repeat(64))]);
    await lazy.has('c'.repeat(64));
    expect(open).toHaveBeenCalledTimes(1);
    expect(opened.has).toHaveBeenCalledTimes(3);
  });

  it('tries again after a failed opening, e.g. once the volume is mounted', async () => {
    const opened = store();
    const open = jest
      .fn<Promise<BlobStore>, []>()
      .mockRejectedValueOnce(new Error('EROFS: read-only file system'))
      .mockResolvedValue(opened);
    const lazy = openOnFirstUse(open);
    await expect(lazy.has('a'.repeat(64))).rejects.toThrow('EROFS');
    await expect(lazy.has('a'.repeat(64))).resolves.toBe(true);
    expect(open).toHaveBeenCalledTimes(2);
  });
});

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { contentHash, type MappedRow } from '../../catalogue/merged-record';
import { FileFormatError } from '../formats';
import { TEMP_PREFIX } from '../formats/shared-strings';
import { mappedRows } from '../mapping/mapped-rows';
import { WrongLayoutError } from '../mapping/vocabulary';
import { mappedBatchesInThread, type MappedBatches } from './mapped-batches';

// The thread compiles the TypeScript sources on start.
jest.setTimeout(60_000);

const SAMPLE = resolve(__dirname, '../../../../../infra/seed/slovenia/uhri-export-sample-slovenia-c2c3.xlsx');
const matrix = {};

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mapped-batches-spec-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function drain(batches: MappedBatches): Promise<MappedRow[][]> {
  const all: MappedRow[][] = [];
  try {
    for (let batch = await batches.next(); batch.length > 0; batch = await batches.next()) all.push(batch);
  } finally {
    await batches.close();
  }
  return all;
}

const spillFiles = () => readdirSync(tmpdir()).filter((name) => name.startsWith(TEMP_PREFIX));

describe('mappedBatchesInThread', () => {
  it('yields the rows the reader maps in process, in order, in batches, and learns the format', async () => {
    const expected: MappedRow[] = [];
    for await (const row of mappedRows(SAMPLE, { matrix })) {
      // The thread hashes each record, so the writing thread need not.
      expected.push(row.record ? { ...row, hash: contentHash(row.record) } : row);
    }
    const formats: string[] = [];
    const batches = await drain(
      mappedBatchesInThread(SAMPLE, { matrix, onFormat: (format) => formats.push(format) }, 100),
    );
    expect(batches.map((batch) => batch.length)).toEqual(
      Array.from({ length: Math.ceil(expected.length / 100) }, (_, i) =>
        Math.min(100, expected.length - i * 100),
      ),
    );
    expect(batches.flat()).toEqual(expected);
    expect(formats).toEqual(['uhri']);
  });

  it("reports a damaged file as the reader's own error", async () => {
    const path = join(dir, 'damaged.xlsx');
    writeFileSync(path, Buffer.from('PK\u0003\u0004 not really a zip'));
    const error = await drain(mappedBatchesInThread(path, { matrix }, 100)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileFormatError);
    expect((error as FileFormatError).code).toBe('corrupt');
  });

  it('reports a file of the wrong layout as such', async () => {
    const path = join(dir, 'notes.csv');
    writeFileSync(path, 'Name,Colour\nA,red\n');
    const error = await drain(mappedBatchesInThread(path, { matrix }, 100)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongLayoutError);
  });

  it('closed after the first batch, stops reading and removes its temporary files', async () => {
    const before = spillFiles();
    const batches = mappedBatchesInThread(SAMPLE, { matrix }, 10);
    expect(await batches.next()).toHaveLength(10);
    await batches.close();
    expect(spillFiles()).toEqual(before);
  });
});

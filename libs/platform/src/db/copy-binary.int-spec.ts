import { createTestDatabase, requireInfrastructure, type TestDatabase } from '@nmirf/testing';
import { DataSource } from 'typeorm';
import { binaryCopyChunks, copyBinary, type BinaryColumnType } from './copy-binary';
import { streamCopy } from './stream-copy';

const COLUMNS: Array<[string, BinaryColumnType]> = [
  ['id', 'uuid'],
  ['label', 'text'],
  ['payload', 'bytea'],
  ['small', 'smallint'],
  ['whole', 'integer'],
  ['big', 'bigint'],
  ['flag', 'boolean'],
  ['day', 'date'],
  ['doc', 'jsonb'],
  ['tags', 'text[]'],
];

// What PostgreSQL reads back, as text, for one row.
const READ_BACK = `SELECT id::text, label, encode(payload, 'hex') AS payload, small, whole, big::text, flag,
  day::text, doc, tags FROM copied ORDER BY whole`;

describe('binary COPY (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    await requireInfrastructure('postgres');
    database = await createTestDatabase('it_copy_binary');
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    await dataSource.query(
      `CREATE TABLE copied (${COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')})`,
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(() => dataSource.query('TRUNCATE copied'));

  const copy = (rows: unknown[][]) =>
    dataSource.transaction((manager) => copyBinary(manager, 'copied', COLUMNS, rows));

  it('writes every type, nulls and edge values as PostgreSQL reads them', async () => {
    const long = 'ب'.repeat(200_000); // two-byte UTF-8 over several chunks
    await copy([
      [
        '0F8FAD5B-D9CB-469F-A165-70867728950E',
        'tab\there, line\nbreak, back\\slash, quote " and \u{1F30D}',
        Uint8Array.from([0, 1, 0x5c, 0xff]),
        -32768,
        1,
        9_007_199_254_740_993n,
        true,
        '0099-12-31',
        { text: 'a\\b\t"c"', list: [1, null, 'é'], nested: { ok: false } },
        ['', 'with space', 'with "quote"', 'back\\slash', '{brace}', 'NULL', null, '中文'],
      ],
      [null, null, null, null, 2, null, null, '1999-12-31', null, null],
      [
        '7c9e6679-7425-40de-944b-e07fc1f90ae7',
        long,
        new Uint8Array(0),
        32767,
        3,
        -1n,
        false,
        '2024-02-29',
        [],
        [],
      ],
    ]);
    const rows = await dataSource.query(READ_BACK);
    expect(rows).toEqual([
      {
        id: '0f8fad5b-d9cb-469f-a165-70867728950e',
        label: 'tab\there, line\nbreak, back\\slash, quote " and \u{1F30D}',
        payload: '00015cff',
        small: -32768,
        whole: 1,
        big: '9007199254740993',
        flag: true,
        day: '0099-12-31',
        doc: { text: 'a\\b\t"c"', list: [1, null, 'é'], nested: { ok: false } },
        tags: ['', 'with space', 'with "quote"', 'back\\slash', '{brace}', 'NULL', null, '中文'],
      },
      {
        id: null,
        label: null,
        payload: null,
        small: null,
        whole: 2,
        big: null,
        flag: null,
        day: '1999-12-31',
        doc: null,
        tags: null,
      },
      {
        id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
        label: long,
        payload: '',
        small: 32767,
        whole: 3,
        big: '-1',
        flag: false,
        day: '2024-02-29',
        doc: [],
        tags: [],
      },
    ]);
  });

  it('writes thousands of rows across chunks, as text COPY does', async () => {
    const rows = Array.from({ length: 5_000 }, (_, i) => [
      `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      `row ${i} ${'x'.repeat(i % 300)}`,
      Uint8Array.from([i & 0xff]),
      i % 100,
      i,
      BigInt(i) * 1_000_000_000n,
      i % 2 === 0,
      `20${String(10 + (i % 15))}-0${1 + (i % 9)}-1${i % 10}`,
      { i },
      i % 3 === 0 ? [] : [`t${i}`, `u${i}`],
    ]);
    expect(
      [
        ...binaryCopyChunks(
          COLUMNS.map(([, type]) => type),
          rows,
        ),
      ].length,
    ).toBeGreaterThan(1);
    await copy(rows);
    const binary = await dataSource.query(READ_BACK);
    await dataSource.query('TRUNCATE copied');
    // The same rows through COPY's text format, built by PostgreSQL's own output functions.
    const text = rows
      .map((row) =>
        [
          row[0],
          row[1],
          `\\\\x${Buffer.from(row[2] as Uint8Array).toString('hex')}`,
          ...row.slice(3, 8).map(String),
          JSON.stringify(row[8]),
          `{${(row[9] as string[]).join(',')}}`,
        ].join('\t'),
      )
      .join('\n');
    await dataSource.transaction((manager) =>
      streamCopy(
        manager,
        'copied',
        COLUMNS.map(([name]) => name),
        [Buffer.from(`${text}\n`)],
      ),
    );
    expect(binary).toHaveLength(5_000);
    expect(binary).toEqual(await dataSource.query(READ_BACK));
  });

  it.each([
    ['a uuid', 'uuid', 'not-a-uuid', /not a uuid/],
    ['a uuid', 'uuid', '0f8fad5b-d9cb-469f-a165-70867728950g', /not a uuid/],
    ['a uuid', 'uuid', '0f8fad5b-d9cb-469f-a165-70867728950é', /not a uuid/],
    ['a uuid', 'uuid', '0f8fad5bd-9cb-469f-a165-70867728950e', /not a uuid/],
    ['a date', 'date', '2024-13-01', /not a date/],
    ['a date', 'date', '2023-02-29', /not a date/],
    ['a date', 'date', '29/02/2024', /not a date/],
    ['a smallint', 'smallint', 40_000, /not a 16-bit integer/],
    ['an integer', 'integer', 1.5, /not a 32-bit integer/],
    ['bytes', 'bytea', 'text', /must be bytes/],
    ['an array', 'text[]', 'text', /must be an array/],
  ] as const)('refuses what is not %s, before PostgreSQL sees it', (_, type, value, message) => {
    expect(() => [...binaryCopyChunks([type], [[value]])]).toThrow(message);
  });

  it('refuses a row with the wrong number of values, and the transaction writes nothing', async () => {
    await expect(
      copy([[null, 'one', null, null, 1, null, null, null, null, null], ['short']]),
    ).rejects.toThrow(/a row has 1 values for 10 columns/);
    expect(await dataSource.query('SELECT count(*)::int AS n FROM copied')).toEqual([{ n: 0 }]);
  });
});

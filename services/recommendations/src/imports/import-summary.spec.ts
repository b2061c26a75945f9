import { importMessage } from './import-summary';

const counts = { rowsRead: 10, created: 0, updated: 0, unchanged: 0, rejected: 0, error: null };

describe('importMessage', () => {
  it('says nothing was applied when every row was rejected, with or without skipInvalid', () => {
    expect(importMessage({ ...counts, status: 'rejected', rejected: 10 })).toBe(
      'Nothing was applied: all 10 rows were rejected.',
    );
  });

  it('says how to apply the valid rows of a refused import', () => {
    expect(importMessage({ ...counts, status: 'rejected', created: 7, rejected: 3 })).toBe(
      'Nothing was applied: 3 of 10 rows were rejected. Correct them, or import again with skipInvalid=true to apply the other 7.',
    );
  });

  it('says nothing was applied when every valid row was already there', () => {
    expect(importMessage({ ...counts, status: 'applied', unchanged: 8, rejected: 2 })).toBe(
      'Nothing was applied: the 8 rows read are already in the catalogue as they are; 2 rows rejected and skipped.',
    );
  });

  it('counts what an applied import did', () => {
    expect(
      importMessage({ ...counts, status: 'applied', created: 1, updated: 2, unchanged: 6, rejected: 1 }),
    ).toBe('Applied: 1 created, 2 updated, 6 unchanged; 1 row rejected and skipped.');
    expect(importMessage({ ...counts, status: 'previewed', created: 10 })).toBe(
      'Preview, nothing was applied: 10 would be created, 0 updated, 0 unchanged.',
    );
  });
});

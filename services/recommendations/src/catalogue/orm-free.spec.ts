import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The modules a file imports, following relative imports to the files they name. */
function closure(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const source = readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/(?:from|import)\s+'([^']+)'/g)].map((m) => m[1]);
    seen.set(file, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(`${resolve(dirname(file), specifier)}.ts`);
    }
  };
  visit(entry);
  return seen;
}

describe('the catalogue core', () => {
  it.each(['merged-record', 'batch-plan', 'position'])(
    '%s reaches neither TypeORM nor NestJS, directly or through what it imports',
    (name) => {
      const offending = [...closure(join(__dirname, `${name}.ts`)).entries()].flatMap(([file, specifiers]) =>
        specifiers
          .filter((specifier) => /^(typeorm|@nestjs\/)/.test(specifier) || /\.entity$/.test(specifier))
          .map((specifier) => `${file}: ${specifier}`),
      );
      expect(offending).toEqual([]);
    },
  );
});

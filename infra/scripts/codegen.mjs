#!/usr/bin/env node
// Generates TypeScript for the event contracts in proto/ into libs/contracts/src/gen.
//   node infra/scripts/codegen.mjs          regenerate in place
//   node infra/scripts/codegen.mjs --check  fail if regenerating would change the checked-in output
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const generated = join(root, 'libs/contracts/src/gen');
const bin = join(root, 'node_modules/.bin');

function generate(outputBase) {
  const args = ['generate', 'proto', '--template', 'proto/buf.gen.yaml'];
  if (outputBase) args.push('-o', outputBase);
  execFileSync(join(bin, 'buf'), args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

if (process.argv.includes('--check')) {
  const scratch = mkdtempSync(join(tmpdir(), 'codegen-'));
  try {
    generate(scratch);
    const fresh = join(scratch, 'libs/contracts/src/gen');
    const expected = files(fresh)
      .map((file) => relative(fresh, file))
      .sort();
    const actual = files(generated)
      .map((file) => relative(generated, file))
      .sort();
    const differing = expected.filter(
      (file) =>
        !actual.includes(file) ||
        readFileSync(join(fresh, file), 'utf8') !== readFileSync(join(generated, file), 'utf8'),
    );
    const extra = actual.filter((file) => !expected.includes(file));
    if (differing.length || extra.length) {
      console.error(
        `Generated contracts are out of date (${[...differing, ...extra].join(', ')}). Run: npm run codegen`,
      );
      process.exit(1);
    }
    console.log(`Generated contracts are up to date (${expected.length} files).`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
} else {
  // Generate aside first: a failing buf (e.g. missing during an npm install) leaves the old output.
  const scratch = mkdtempSync(join(tmpdir(), 'codegen-'));
  try {
    generate(scratch);
    rmSync(generated, { recursive: true, force: true });
    cpSync(join(scratch, 'libs/contracts/src/gen'), generated, { recursive: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`Generated ${files(generated).length} files into ${relative(root, generated)}`);
}

#!/usr/bin/env node
// Measures what a browser downloads, compressed, from the build: the initial JavaScript of the app
// (the entry and its static imports) and, per page, what opening it adds. Fails the build when the
// task pages, the ones ministries open on slow connections, need more than the budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 200;
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
const gzip = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;

/** The chunk's file and every chunk it imports statically, once each. */
function closure(key, into = new Set()) {
  const chunk = manifest[key];
  if (!chunk || into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const imported of chunk.imports ?? []) closure(imported, into);
  return into;
}
const kb = (bytes) => (bytes / 1024).toFixed(1);
const sum = (files) => [...files].reduce((total, file) => total + gzip(file), 0);

const entry = closure('index.html');
const initial = sum(entry);
const rows = [['initial (index.html)', initial]];
const pages = Object.keys(manifest).filter((key) => /src\/pages\/\w+\.tsx$/.test(key));
const withPage = {};
for (const key of pages) {
  const extra = [...closure(key)].filter((file) => !entry.has(file));
  const name = key.replace(/^.*\/(\w+)\.tsx$/, '$1');
  withPage[name] = initial + sum(extra);
  rows.push([`+ ${name}`, sum(extra)]);
}
process.stdout.write(
  `JavaScript, gzip (KB)\n${rows.map(([name, size]) => `  ${name.padEnd(24)} ${kb(size).padStart(7)}`).join('\n')}\n`,
);
const tasks = Math.max(withPage.Tasks ?? 0, withPage.Task ?? 0);
process.stdout.write(`  task pages in all        ${kb(tasks).padStart(7)} (budget ${BUDGET_KB})\n`);
if (tasks > BUDGET_KB * 1024) {
  process.stderr.write(
    `The task pages need ${kb(tasks)} KB of compressed JavaScript, over the ${BUDGET_KB} KB budget\n`,
  );
  process.exit(1);
}

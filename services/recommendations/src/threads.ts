import { Worker } from 'node:worker_threads';

/** Under ts-jest the sources are TypeScript: the thread transpiles them module by module, as ts-jest does. */
const TS_ENTRY = `
const ts = require('typescript');
const { readFileSync } = require('node:fs');
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
require(require('node:worker_threads').workerData.entry);`;

/**
 * Starts the module `entry` (a path beside its caller's, `.js` when built, `.ts` under ts-jest) in a
 * worker thread; it finds `data` in `workerData`.
 */
export function startThread(entry: string, data: Record<string, unknown> = {}): Worker {
  const typescript = entry.endsWith('.ts');
  return new Worker(typescript ? TS_ENTRY : entry, {
    eval: typescript,
    workerData: { ...data, entry },
  });
}

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { platformEnvSchema, workerHttpPort } from '@nmirf/platform';

// docs/operations.md's configuration reference is generated from the zod schemas
// (infra/scripts/config-reference.mjs): a variable added, removed or changed without regenerating
// the page fails here.

const root = join(__dirname, '..', '..');

describe('configuration reference in docs/operations.md', () => {
  it('is what infra/scripts/config-reference.mjs generates from the config schemas', () => {
    const result = spawnSync('node', [join(root, 'infra/scripts/config-reference.mjs'), '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect({ status: result.status, output: `${result.stdout}${result.stderr}` }).toEqual({
      status: 0,
      output: expect.stringContaining('up to date'),
    });
  });

  it('lists every variable of the platform schema, with the required ones marked', () => {
    const page = readFileSync(join(root, 'docs/operations.md'), 'utf8');
    for (const name of [...Object.keys(platformEnvSchema.shape), ...Object.keys(workerHttpPort)])
      expect(page).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    for (const required of ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS', 'OIDC_ISSUER_URL'])
      expect(page).toMatch(new RegExp(`^\\| \`${required}\` \\| \\*\\*required\\*\\*`, 'm'));
    expect(page).toMatch(/^\| `REMINDER_OFFSETS` \| `14d,3d,0s` \|/m);
  });
});

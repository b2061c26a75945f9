// Token verification benchmark: the latency an access token adds to a request. The same route of a
// real service (GET /recommendations/{id}, public, so it answers with and without a token) is called
// anonymously and with the demo coordinator's real Keycloak token, alternately, in the same run.
//   npm run bench:auth [-- --requests 2000]
import { demoToken, http, Stack } from '@nmirf/testing';

const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const REQUESTS = arg('requests', 2000);
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1];

const stack = await Stack.start({ name: 'bench-auth', env: { LOG_LEVEL: 'warn' } });
try {
  const created = await http('POST', `${stack.url('recommendations')}/recommendations`, {
    body: 'UPR',
    documentSymbol: 'A/HRC/43/15',
    paragraph: '121.1',
    text: 'Ratify the International Convention for the Protection of All Persons from Enforced Disappearance',
    position: 'supported',
  });
  const url = `${stack.url('recommendations')}/recommendations/${created.body.id}`;
  const token = await demoToken('coordinator');
  const timed = async (headers) => {
    const started = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET answered ${response.status}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 200; i += 1) await timed({ authorization: `Bearer ${token}` }); // warm-up, JWKS cached
  const anonymous = [];
  const signed = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    anonymous.push(await timed({}));
    signed.push(await timed({ authorization: `Bearer ${token}` }));
  }
  const ms = (value) => `${value.toFixed(2)} ms`;
  process.stdout.write(
    `Token verification, ${REQUESTS} requests each, one at a time, GET ${new URL(url).pathname.replace(/[^/]+$/, '{id}')}\n` +
      '| | p50 | p99 |\n|---|---:|---:|\n' +
      `| anonymous | ${ms(percentile(anonymous, 50))} | ${ms(percentile(anonymous, 99))} |\n` +
      `| with a token (RS256, cached JWKS) | ${ms(percentile(signed, 50))} | ${ms(percentile(signed, 99))} |\n` +
      `| added by verification | ${ms(percentile(signed, 50) - percentile(anonymous, 50))} | ${ms(percentile(signed, 99) - percentile(anonymous, 99))} |\n`,
  );
} finally {
  await stack.stop();
}
process.exit(0);

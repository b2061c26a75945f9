import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { chartDir, documentsOf, helmBatch, type Outcome, repoRoot, requiredInputs } from './helm';

// The chart's alerts and dashboard, as Helm renders them: promtool checks the rules and runs the
// unit tests of tests/contracts/alerts (every alert firing and not firing), every PromQL expression
// of the dashboard parses, every metric they read exists in libs/platform, and every alert links to
// its section of docs/operations.md. Without Debian's promtool this fails: npm test installs it.

const PROMTOOL = '/usr/bin/promtool';
const alertTests = join(repoRoot, 'tests/contracts/alerts');
const runbook = join(repoRoot, 'docs/operations.md');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: { groups?: Array<{ name: string; rules: Rule[] }> };
}
interface Dashboard {
  templating: { list: Array<{ name: string }> };
  panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
}

function promtool(args: string[], cwd: string): { status: number | null; output: string } {
  const result = spawnSync(PROMTOOL, args, { cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every metric libs/platform defines, with its label names (prom-client's own default metrics aside). */
function platformMetrics(): Map<string, string[]> {
  const metrics = new Map<string, string[]>();
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? files(join(dir, entry.name))
        : entry.name.endsWith('.ts') && !entry.name.includes('spec')
          ? [join(dir, entry.name)]
          : [],
    );
  const labels = (list: string) => [...list.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]);
  for (const file of files(join(repoRoot, 'libs/platform/src'))) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/new (?:Counter|Gauge|Histogram)(?:<[^>]*>)?\(\{([^}]*)\}/g)) {
      const name = /name: '(nmirf_[a-z_]+)'/.exec(match[1]);
      if (name) metrics.set(name[1], labels(/labelNames: \[([^\]]*)\]/.exec(match[1])?.[1] ?? ''));
    }
    for (const match of source.matchAll(
      /scrapedGauge(?:<[^>]*>)?\(\s*'(nmirf_[a-z_]+)',\s*(?:'[^']*'|"[^"]*"),\s*\[([^\]]*)\]/g,
    ))
      metrics.set(match[1], labels(match[2]));
  }
  return metrics;
}

/** Metric names an expression reads, and the label names its selectors match on. */
function selectorsIn(expr: string): Array<{ metric: string; labels: string[] }> {
  const found: Array<{ metric: string; labels: string[] }> = [];
  for (const match of expr.matchAll(/\b((?:nmirf|process|nodejs)_[a-z0-9_]+)\s*(\{([^}]*)\})?/g))
    found.push({
      metric: match[1],
      labels: [...(match[3] ?? '').matchAll(/([a-z_]+)\s*(=~|!~|!=|=)/g)].map((label) => label[1]),
    });
  return found;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('alerts and dashboard of the Helm chart', () => {
  const work = mkdtempSync(join(tmpdir(), 'nmirf-monitoring-'));
  let outcomes: Outcome[];
  let defaults: Manifest[];
  let rules: Rule[];

  beforeAll(() => {
    if (!existsSync(PROMTOOL))
      throw new Error(`${PROMTOOL} is missing: install Debian's prometheus package (npm test does)`);
    const render = (...args: string[]) => [
      'template',
      chartDir,
      '--name',
      'nmirf',
      '--namespace',
      'nmirf',
      ...requiredInputs,
      ...args,
    ];
    outcomes = helmBatch([
      render('--set', 'metrics.prometheusRule.enabled=true', '--set', 'metrics.dashboards.enabled=true'),
      render(
        '--set',
        'metrics.prometheusRule.enabled=true',
        '--set',
        'metrics.prometheusRule.thresholds.outboxOldestAgeSeconds=900',
        '--set',
        'metrics.prometheusRule.runbookUrl=https://ops.example.org/nmirf/operations',
        '--set',
        'metrics.prometheusRule.alertLabels.team=nmirf-ops',
      ),
      render(),
      render('--set', 'metrics.prometheusRule.enabled=true', '--set', 'metrics.enabled=false'),
    ]);
    defaults = documentsOf<Manifest>(outcomes[0], 'alerts and dashboards');
    const rule = defaults.find((manifest) => manifest.kind === 'PrometheusRule');
    rules = (rule?.spec?.groups ?? []).flatMap((group) => group.rules);
    writeFileSync(join(work, 'rules.yaml'), stringify({ groups: rule?.spec?.groups ?? [] }));
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('renders the PrometheusRule and the dashboard only when asked, and never without metrics', () => {
    const kinds = (manifests: Manifest[]) => manifests.map((manifest) => manifest.kind);
    expect(kinds(defaults)).toContain('PrometheusRule');
    const dashboards = defaults.find(
      (manifest) => manifest.kind === 'ConfigMap' && manifest.metadata.name === 'nmirf-dashboards',
    );
    expect(dashboards?.metadata.labels?.grafana_dashboard).toBe('1');
    expect(dashboards?.data?.['nmirf-overview.json']).toBe(
      readFileSync(join(chartDir, 'files/dashboards/nmirf-overview.json'), 'utf8').trimEnd(),
    );
    for (const index of [2, 3]) {
      const manifests = documentsOf<Manifest>(outcomes[index], `render ${index}`);
      expect(kinds(manifests)).not.toContain('PrometheusRule');
      expect(manifests.map((manifest) => manifest.metadata.name)).not.toContain('nmirf-dashboards');
    }
  });

  it('passes promtool check rules', () => {
    const { status, output } = promtool(['check', 'rules', 'rules.yaml'], work);
    expect({ status, output }).toEqual({
      status: 0,
      output: expect.stringContaining('SUCCESS: 8 rules found'),
    });
  });

  it('passes the promtool unit tests, which make every alert fire and stay quiet', () => {
    const files = readdirSync(alertTests).filter((file) => file.endsWith('.test.yaml'));
    expect(files.length).toBeGreaterThan(0);
    const covered = new Map<string, { fires: boolean; quiet: boolean }>();
    for (const file of files) {
      copyFileSync(join(alertTests, file), join(work, file));
      const suite = parse(readFileSync(join(alertTests, file), 'utf8')) as {
        tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }> }>;
      };
      for (const test of suite.tests)
        for (const check of test.alert_rule_test ?? []) {
          const entry = covered.get(check.alertname) ?? { fires: false, quiet: false };
          if ((check.exp_alerts ?? []).length > 0) entry.fires = true;
          else entry.quiet = true;
          covered.set(check.alertname, entry);
        }
    }
    const { status, output } = promtool(['test', 'rules', ...files], work);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
    const alerts = rules.flatMap((rule) => rule.alert ?? []).sort();
    expect(alerts).toHaveLength(8);
    for (const alert of alerts)
      expect({ alert, ...covered.get(alert) }).toEqual({ alert, fires: true, quiet: true });
  });

  it('fills the thresholds and labels from the values, and links every alert to its runbook section', () => {
    const custom = documentsOf<Manifest>(outcomes[1], 'custom thresholds').find(
      (manifest) => manifest.kind === 'PrometheusRule',
    );
    const customRules = (custom?.spec?.groups ?? []).flatMap((group) => group.rules);
    const stale = (list: Rule[]) => list.find((rule) => rule.alert === 'NmirfOutboxStale');
    expect(stale(rules)?.expr).toMatch(/> 300$/);
    expect(stale(customRules)?.expr).toMatch(/> 900$/);
    for (const rule of customRules) {
      expect(rule.labels?.team).toBe('nmirf-ops');
      expect(rule.annotations?.runbook_url).toBe(
        `https://ops.example.org/nmirf/operations#${rule.alert?.toLowerCase()}`,
      );
    }
    const headings = new Set(
      [...readFileSync(runbook, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1])),
    );
    for (const rule of rules) {
      expect(rule.annotations?.summary).toBeTruthy();
      const [page, anchor] = (rule.annotations?.runbook_url ?? '').split('#');
      expect(page).toBe('docs/operations.md');
      expect({ alert: rule.alert, section: headings.has(anchor) }).toEqual({
        alert: rule.alert,
        section: true,
      });
    }
  });

  it('reads only metrics and labels that libs/platform defines, in the alerts and on the dashboard', () => {
    const metrics = platformMetrics();
    expect(metrics.size).toBeGreaterThanOrEqual(15);
    const dashboard = JSON.parse(
      readFileSync(join(chartDir, 'files/dashboards/nmirf-overview.json'), 'utf8'),
    ) as Dashboard;
    const expressions = [
      ...rules.map((rule) => rule.expr),
      ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)),
    ];
    // Every series also carries service and process; the scrape adds namespace and pod.
    const common = ['service', 'process', 'namespace', 'pod', 'le'];
    const problems: string[] = [];
    for (const expr of expressions) {
      // Grouping labels (by, without, on, ignoring) must belong to some metric the expression reads.
      const available = new Set(common);
      for (const { metric } of selectorsIn(expr))
        for (const label of metrics.get(metric.replace(/_(bucket|sum|count)$/, '')) ?? [])
          available.add(label);
      for (const grouping of expr.matchAll(/\b(?:by|without|on|ignoring)\s*\(([^)]*)\)/g))
        for (const label of grouping[1]
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean))
          if (!available.has(label))
            problems.push(`no metric of "${expr.slice(0, 60)}…" has the label ${label}`);
      for (const { metric, labels } of selectorsIn(expr)) {
        if (/^(process|nodejs)_/.test(metric)) continue; // prom-client's collectDefaultMetrics
        const base = metric.replace(/_(bucket|sum|count)$/, '');
        const known = metrics.get(metric) ?? metrics.get(base);
        if (!known) problems.push(`${metric} is not defined in libs/platform`);
        else
          for (const label of labels)
            if (![...known, ...common].includes(label)) problems.push(`${metric} has no label ${label}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every dashboard panel an expression that PromQL parses', () => {
    const dashboard = JSON.parse(
      readFileSync(join(chartDir, 'files/dashboards/nmirf-overview.json'), 'utf8'),
    ) as Dashboard;
    const variables = dashboard.templating.list.map((variable) => variable.name).sort();
    expect(variables).toEqual(['datasource', 'namespace', 'service']);
    const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(panels.length).toBeGreaterThanOrEqual(15);
    // Grafana's variables as Grafana substitutes them, then each expression as a recording rule.
    const recorded = panels.flatMap((panel, index) =>
      (panel.targets ?? []).map((target, targetIndex) => ({
        record: `nmirf:dashboard:panel_${index}_${targetIndex}`,
        expr: target.expr.replaceAll('$__rate_interval', '5m').replace(/\$\{?(namespace|service)\}?/g, '.*'),
      })),
    );
    expect(recorded.length).toBe(panels.reduce((sum, panel) => sum + (panel.targets ?? []).length, 0));
    for (const panel of panels)
      expect({ panel: panel.title, targets: (panel.targets ?? []).length > 0 }).toEqual({
        panel: panel.title,
        targets: true,
      });
    writeFileSync(
      join(work, 'dashboard.yaml'),
      stringify({ groups: [{ name: 'dashboard', rules: recorded }] }),
    );
    const { status, output } = promtool(['check', 'rules', 'dashboard.yaml'], work);
    expect({ status, output }).toEqual({
      status: 0,
      output: expect.stringContaining(`SUCCESS: ${recorded.length} rules found`),
    });
    // The on-call panels the runbook refers to.
    const titles = panels.map((panel) => panel.title).join('\n');
    for (const topic of [
      'Requests',
      'Server errors',
      'Latency',
      'Consumer lag',
      'Dead letters',
      'Outbox backlog',
      'Oldest unpublished',
      'Relay leaders',
      'Queue depth',
      'Reminder lateness',
      'Reconciler',
    ])
      expect(titles).toContain(topic);
  });
});

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { checkEvidenceStorage, evidenceStorageEnv, platformEnvSchema, workerHttpPort } from '@nmirf/platform';
import { helmBatch, type Outcome } from './helm';

// The chart rendered by real Helm (3.21, helm-java's native library through infra/helm/helm.sh,
// offline once Maven has resolved it), every manifest checked against the Kubernetes schemas, and
// the deployment rules asserted on what Helm actually produced. Without Java or Maven this fails:
// a chart nobody rendered proves nothing.

const repoRoot = join(__dirname, '..', '..');
const chartDir = join(repoRoot, 'deploy/helm/nmirf');
const productionValues = join(chartDir, 'values-production.yaml');

const apis = { recommendations: 3101, actions: 3102, notifications: 3103, reporting: 3104 } as const;
const apiNames = Object.keys(apis).sort();

interface Metadata {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  exec?: { command: string[] };
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  command?: string[];
  ports?: Array<{ name: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  readinessProbe?: Probe;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  securityContext?: { readOnlyRootFilesystem?: boolean };
}
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}
interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  containers: Container[];
  initContainers?: Container[];
  topologySpreadConstraints?: Array<{ topologyKey: string; labelSelector?: LabelSelector }>;
  volumes?: Array<{ name: string; emptyDir?: object; persistentVolumeClaim?: { claimName: string } }>;
}
interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}
interface PolicyPeer {
  ipBlock?: { cidr: string };
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
}
interface PolicyPort {
  port: number | string;
  protocol?: string;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  automountServiceAccountToken?: boolean;
  spec?: {
    template?: PodTemplate;
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: Array<{ from?: PolicyPeer[]; ports?: PolicyPort[] }>;
    egress?: Array<{ to?: PolicyPeer[]; ports?: PolicyPort[] }>;
  };
}

const models: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'batch/v1/CronJob': CronJob,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};
// Custom resources (Prometheus Operator, KEDA): no schema package runs on Node 20 here; their
// shape is asserted by the tests below.
const customResources = new Set([
  'monitoring.coreos.com/v1/PodMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
  'keda.sh/v1alpha1/ScaledObject',
  'keda.sh/v1alpha1/TriggerAuthentication',
]);

type Values = Record<string, unknown>;
const isMap = (value: unknown): value is Values =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Helm's coalescing of a values file over values.yaml: maps merge, anything else replaces, null deletes. */
function overlay(base: Values, top: Values): Values {
  const merged: Values = { ...base };
  for (const [key, value] of Object.entries(top)) {
    if (value === null) delete merged[key];
    else if (isMap(value) && isMap(merged[key])) merged[key] = overlay(merged[key] as Values, value);
    else merged[key] = value;
  }
  return merged;
}

function manifestsOf(outcome: Outcome, label: string): Manifest[] {
  if (!outcome.ok) throw new Error(`helm template (${label}) failed:\n${outcome.output}`);
  return parseAllDocuments(outcome.output)
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

const ofKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const named = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${manifests.map((m) => m.metadata.name).join(', ')}`);
  return found;
};
const podTemplate = (manifest: Manifest) => manifest.spec?.template as PodTemplate;
const componentOf = (manifest: Manifest) =>
  podTemplate(manifest).metadata.labels['app.kubernetes.io/component'];
const workloads = (manifests: Manifest[]) =>
  manifests.filter((m) => (m.kind === 'Deployment' || m.kind === 'Job') && componentOf(m) !== 'keycloak');
const workers = (manifests: Manifest[]) =>
  ofKind(manifests, 'Deployment').filter((m) => componentOf(m).endsWith('-worker'));
const apiDeployments = (manifests: Manifest[]) =>
  ofKind(manifests, 'Deployment').filter((m) => apiNames.includes(componentOf(m)));
const containersOf = (manifest: Manifest) => [
  ...(podTemplate(manifest).spec.initContainers ?? []),
  ...podTemplate(manifest).spec.containers,
];

function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const present = key in labels;
    if (operator === 'In' && !(present && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && present && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !present) return false;
    if (operator === 'DoesNotExist' && present) return false;
  }
  return true;
}

const policiesFor = (manifests: Manifest[], labels: Record<string, string>) =>
  ofKind(manifests, 'NetworkPolicy').filter((policy) => selects(policy.spec?.podSelector, labels));

const portsOf = (rules: Array<{ ports?: PolicyPort[] }>) =>
  rules.flatMap((rule) => (rule.ports ?? []).map((port) => `${port.port}/${port.protocol ?? 'TCP'}`)).sort();

/** The environment a container starts with: the ConfigMap, literal values and placeholder credentials. */
function containerEnvironment(manifests: Manifest[], container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? [])
    if (source.configMapRef) Object.assign(env, named(manifests, 'ConfigMap', source.configMapRef.name).data);
  const placeholders: Record<string, string> = {
    DATABASE_URL: 'postgres://nmirf:secret@db:5432/nmirf',
    REDIS_URL: 'redis://:secret@redis:6379',
    KAFKA_SASL_PASSWORD: 'secret',
    METRICS_TOKEN: 'a-metrics-token-of-32-characters',
  };
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.secretKeyRef)
      env[variable.name] = placeholders[variable.name] ?? 'from-secret';
  }
  return env;
}

const dnsLabel = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

describe('Helm chart deploy/helm/nmirf, rendered by real Helm', () => {
  const work = mkdtempSync(join(tmpdir(), 'nmirf-chart-'));
  const requiredInputs = [
    '--set',
    'connections.existingSecret=nmirf-connections',
    '--set',
    'kafka.brokers=kafka-0.kafka:9092,kafka-1.kafka:9092',
    '--set',
    'oidc.issuerUrl=https://id.example.org/realms/nmirf',
  ];
  const longRelease = 'a'.repeat(45) + '-release'; // 53 characters, the longest name Helm accepts
  const longFullname = 'n'.repeat(30) + '-' + 'm'.repeat(29); // 60 characters
  const secrets = {
    database: 'pg-Pa55word-never-in-plain-sight',
    redis: 'redis-Pa55word-never-in-plain-sight',
    kafka: 'kafka-Pa55word-never-in-plain-sight',
  };
  const cases = {
    lintDefaults: ['lint', chartDir, '--strict'],
    lintProduction: ['lint', join(work, 'production'), '--strict'],
    defaults: [
      'template',
      join(work, 'unhooked'),
      '--name',
      'nmirf',
      '--namespace',
      'nmirf',
      ...requiredInputs,
    ],
    production: [
      'template',
      join(work, 'unhooked'),
      '--name',
      'nmirf',
      '--namespace',
      'nmirf',
      '-f',
      productionValues,
    ],
    bare: ['template', chartDir, '--name', 'nmirf'],
    evidenceS3: [
      'template',
      join(work, 'unhooked'),
      '--name',
      'nmirf',
      ...requiredInputs,
      '--set',
      'evidence.storage=s3',
      '--set',
      'evidence.s3.bucket=nmirf-evidence',
      '--set',
      'evidence.s3.endpoint=https://minio.example.org',
      '--set',
      'evidence.s3.forcePathStyle=true',
      '--set',
      'evidence.s3.existingSecret=nmirf-evidence-s3',
    ],
    evidenceS3WithoutBucket: ['template', chartDir, ...requiredInputs, '--set', 'evidence.storage=s3'],
    mail: [
      'template',
      join(work, 'unhooked'),
      '--name',
      'nmirf',
      ...requiredInputs,
      '--set',
      'mail.enabled=true',
      '--set',
      'mail.from=Ministerio <avisos@nmirf.example.org>',
      '--set',
      'mail.webAppUrl=https://nmirf.example.org',
      '--set',
      'webhooks.allowedHosts[0]=cases.gov.internal',
      '--set',
      'webhooks.allowedHosts[1]=tracker.parliament.internal',
      '--set',
      'webhooks.allowedCidrs[0]=10.20.0.0/16',
    ],
    mailWithoutWebApp: ['template', chartDir, ...requiredInputs, '--set', 'mail.enabled=true'],
    ingressKey: ['template', chartDir, ...requiredInputs, '--set', 'ingres.enabled=true'],
    web: [
      'template',
      chartDir,
      '--name',
      'nmirf',
      ...requiredInputs,
      '--set',
      'web.enabled=true',
      '--set',
      'ingress.enabled=true',
      '--set',
      'ingress.host=nmirf.example.org',
    ],
    ingressWithoutHost: [
      'template',
      chartDir,
      ...requiredInputs,
      '--set',
      'web.enabled=true',
      '--set',
      'ingress.enabled=true',
    ],
    autoscalingKey: ['template', chartDir, ...requiredInputs, '--set', 'autoscale.enabled=true'],
    autoscalingTypo: ['template', chartDir, ...requiredInputs, '--set', 'autoscaling.maxReplica=3'],
    replicaTypo: ['template', chartDir, ...requiredInputs, '--set', 'services.actions.replica=3'],
    configTypo: ['template', chartDir, ...requiredInputs, '--set', 'config.LOG_LEVL=debug'],
    longRelease: [
      'template',
      join(work, 'unhooked'),
      '--name',
      longRelease,
      '--set',
      'nameOverride=platform',
      '-f',
      join(work, 'all-workers.yaml'),
      ...requiredInputs,
    ],
    longFullname: [
      'template',
      join(work, 'unhooked'),
      '--set',
      `fullnameOverride=${longFullname}`,
      '-f',
      join(work, 'all-workers.yaml'),
      ...requiredInputs,
    ],
    tooLongRelease: ['template', chartDir, '--name', 'r'.repeat(60), ...requiredInputs],
    chartSecret: [
      'template',
      join(work, 'unhooked'),
      '--name',
      'nmirf',
      '--set',
      `connections.databaseUrl=postgres://nmirf:${secrets.database}@db:5432/nmirf`,
      '--set',
      `connections.redisUrl=redis://:${secrets.redis}@redis:6379`,
      '--set',
      `connections.kafkaSaslPassword=${secrets.kafka}`,
      '--set',
      'kafka.sasl.mechanism=scram-sha-512',
      '--set',
      'kafka.sasl.username=nmirf',
      '--set',
      'kafka.brokers=kafka:9092',
      '--set',
      'oidc.issuerUrl=https://id.example.org/realms/nmirf',
    ],
    rotatedChartSecret: [
      'template',
      join(work, 'unhooked'),
      '--name',
      'nmirf',
      '--set',
      `connections.databaseUrl=postgres://nmirf:rotated@db:5432/nmirf`,
      '--set',
      `connections.redisUrl=redis://:${secrets.redis}@redis:6379`,
      '--set',
      `connections.kafkaSaslPassword=${secrets.kafka}`,
      '--set',
      'kafka.sasl.mechanism=scram-sha-512',
      '--set',
      'kafka.sasl.username=nmirf',
      '--set',
      'kafka.brokers=kafka:9092',
      '--set',
      'oidc.issuerUrl=https://id.example.org/realms/nmirf',
    ],
    secretChecksum: [
      'template',
      join(work, 'unhooked'),
      ...requiredInputs,
      '--set',
      'secretChecksum=rotated-2026-11',
    ],
    keycloak: [
      'template',
      join(work, 'unhooked'),
      '--name',
      'nmirf',
      '--set',
      'keycloak.enabled=true',
      '--set',
      'keycloak.realmConfigMap=nmirf-realm',
      '--set',
      'connections.existingSecret=nmirf-connections',
      '--set',
      'kafka.brokers=kafka:9092',
    ],
    spreadOverrides: ['template', join(work, 'unhooked'), ...requiredInputs, '-f', join(work, 'spread.yaml')],
    extraEnvFrom: ['template', join(work, 'unhooked'), ...requiredInputs, '-f', join(work, 'extra-env.yaml')],
    monitoring: [
      'template',
      join(work, 'unhooked'),
      '--name',
      'nmirf',
      ...requiredInputs,
      '--set',
      'metrics.podMonitor.enabled=true',
      '--set',
      'metrics.podMonitor.labels.release=kube-prometheus-stack',
      '--set',
      'metrics.podAnnotations=true',
      '--set',
      'metrics.tokenSecret.name=nmirf-metrics',
    ],
    heartbeatWorkers: [
      'template',
      join(work, 'unhooked'),
      '--name',
      'nmirf',
      ...requiredInputs,
      '--set',
      'metrics.workerPort=0',
    ],
    metricsOff: [
      'template',
      join(work, 'unhooked'),
      '--name',
      'nmirf',
      ...requiredInputs,
      '--set',
      'metrics.enabled=false',
      '--set',
      'metrics.podMonitor.enabled=true',
    ],
    autoscaled: [
      'template',
      chartDir,
      '--name',
      'nmirf',
      ...requiredInputs,
      '--set',
      'autoscaling.enabled=true',
      '--set',
      'services.actions.autoscaling.maxReplicas=4',
      '--set',
      'services.reporting.autoscaling.enabled=false',
    ],
    autoscaledBeyondPartitions: [
      'template',
      chartDir,
      ...requiredInputs,
      '--set',
      'autoscaling.enabled=true',
      '--set',
      'services.actions.autoscaling.maxReplicas=8',
    ],
    autoscaledMorePartitions: [
      'template',
      chartDir,
      ...requiredInputs,
      '--set',
      'autoscaling.enabled=true',
      '--set',
      'autoscaling.maxReplicas=12',
      '--set',
      'config.KAFKA_TOPIC_PARTITIONS=12',
    ],
    keda: [
      'template',
      chartDir,
      '--name',
      'nmirf',
      '--namespace',
      'nmirf',
      '-f',
      productionValues,
      '--set',
      'autoscaling.enabled=false',
      '--set',
      'keda.consumers.enabled=true',
      '--set',
      'keda.workers.enabled=true',
      '--set',
      'keda.workers.prometheus.serverAddress=http://prometheus-operated.monitoring.svc:9090',
    ],
    kedaRedis: [
      'template',
      chartDir,
      '--name',
      'nmirf',
      ...requiredInputs,
      '-f',
      join(work, 'extra-env.yaml'),
      '--set',
      'keda.workers.enabled=true',
      '--set',
      'keda.workers.trigger=redis',
      '--set',
      'keda.workers.redis.address=redis.example.org:6379',
      '--set',
      'keda.workers.redis.passwordSecret.name=nmirf-redis',
    ],
    kedaWithHpa: [
      'template',
      chartDir,
      ...requiredInputs,
      '--set',
      'keda.consumers.enabled=true',
      '--set',
      'autoscaling.enabled=true',
    ],
    kedaWithoutPrometheus: ['template', chartDir, ...requiredInputs, '--set', 'keda.workers.enabled=true'],
    kedaBeyondPartitions: [
      'template',
      chartDir,
      ...requiredInputs,
      '--set',
      'keda.consumers.enabled=true',
      '--set',
      'keda.consumers.maxReplicas=10',
    ],
  } satisfies Record<string, string[]>;
  type Case = keyof typeof cases;
  let outcomes: Record<Case, Outcome>;
  const renders = new Map<Case, Manifest[]>();
  const rendered = (name: Case) => {
    if (!renders.has(name)) renders.set(name, manifestsOf(outcomes[name], name));
    return renders.get(name) as Manifest[];
  };

  beforeAll(() => {
    // helm-java's template prints the release manifest without its hooks: a copy whose hook
    // annotations are renamed renders the migration Job (and its Secret and ServiceAccount) too.
    cpSync(chartDir, join(work, 'unhooked'), { recursive: true });
    const job = join(work, 'unhooked/templates/migrate-job.yaml');
    writeFileSync(job, readFileSync(job, 'utf8').replaceAll('helm.sh/hook', 'nmirf.test/hook'));
    // helm-java's lint reads the chart's own values.yaml: lint a copy holding the production values.
    cpSync(chartDir, join(work, 'production'), { recursive: true });
    const merged = overlay(
      parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')),
      parse(readFileSync(productionValues, 'utf8')),
    );
    writeFileSync(join(work, 'production/values.yaml'), stringify(merged));
    writeFileSync(
      join(work, 'all-workers.yaml'),
      stringify({
        services: Object.fromEntries(
          apiNames.map((name) => [name, { worker: { enabled: true, replicas: 1 } }]),
        ),
      }),
    );
    writeFileSync(
      join(work, 'spread.yaml'),
      stringify({
        services: {
          actions: {
            topologySpreadConstraints: [
              { maxSkew: 2, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
            ],
          },
          reporting: { worker: { enabled: true, topologySpreadConstraints: [] } },
        },
      }),
    );
    writeFileSync(
      join(work, 'extra-env.yaml'),
      stringify({
        extraEnvFrom: [{ secretRef: { name: 'nmirf-smtp' } }],
        extraEnv: { QUEUE_PREFIX: 'staging' },
      }),
    );
    const names = Object.keys(cases) as Case[];
    const results = helmBatch(names.map((name) => cases[name]));
    outcomes = Object.fromEntries(names.map((name, index) => [name, results[index]])) as Record<
      Case,
      Outcome
    >;
  }, 300_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('passes helm lint --strict with the default values and with the production values', () => {
    expect(outcomes.lintDefaults).toMatchObject({ ok: true });
    expect(outcomes.lintProduction).toMatchObject({ ok: true });
    for (const lint of [outcomes.lintDefaults, outcomes.lintProduction])
      expect(lint.output).not.toMatch(/\[(WARNING|ERROR)\]/);
  });

  it('renders manifests that match the Kubernetes schemas, with valid names', () => {
    const renders: Case[] = [
      'defaults',
      'production',
      'longRelease',
      'longFullname',
      'chartSecret',
      'keycloak',
      'spreadOverrides',
      'extraEnvFrom',
      'evidenceS3',
      'monitoring',
      'heartbeatWorkers',
      'metricsOff',
      'autoscaled',
      'keda',
      'kedaRedis',
    ];
    for (const name of renders) {
      const manifests = rendered(name);
      expect(manifests.length).toBeGreaterThan(10);
      for (const manifest of manifests) {
        const type = `${manifest.apiVersion}/${manifest.kind}`;
        const Model = models[type];
        if (!Model && !customResources.has(type))
          throw new Error(`${name}: no schema check for ${manifest.apiVersion} ${manifest.kind}`);
        try {
          if (Model) new Model(manifest as never).validate();
        } catch (error) {
          throw new Error(`${name}: ${manifest.kind} ${manifest.metadata.name}: ${(error as Error).message}`);
        }
        expect({
          render: name,
          name: manifest.metadata.name,
          valid: dnsLabel.test(manifest.metadata.name),
        }).toEqual({ render: name, name: manifest.metadata.name, valid: true });
        expect(manifest.metadata.name.length).toBeLessThanOrEqual(63);
      }
    }
  });

  it('renders every process: four APIs with Services, three workers, the migration Job', () => {
    const manifests = rendered('defaults');
    expect(apiDeployments(manifests).map(componentOf).sort()).toEqual(apiNames);
    expect(workers(manifests).map(componentOf).sort()).toEqual([
      'notifications-worker',
      'recommendations-worker',
      'reporting-worker',
    ]);
    expect(
      ofKind(manifests, 'Service')
        .map((service) => service.metadata.name)
        .sort(),
    ).toEqual(apiNames.map((name) => `nmirf-${name}`));
    const job = named(manifests, 'Job', 'nmirf-migrate');
    expect(containersOf(job).flatMap((container) => container.command?.join(' ') ?? [])).toEqual(
      expect.arrayContaining(apiNames.map((name) => `node services/${name}/dist/main.js --migrate`)),
    );
    // In the real chart the Job and its helpers are hooks that run before install and upgrade.
    expect(readFileSync(join(chartDir, 'templates/migrate-job.yaml'), 'utf8')).toContain(
      'helm.sh/hook: pre-install,pre-upgrade',
    );
  });

  it('refuses to render without the settings it cannot guess, naming the first one missing', () => {
    expect(outcomes.bare.ok).toBe(false);
    expect(outcomes.bare.output).toMatch(/set (kafka\.brokers|oidc\.issuerUrl|connections\.existingSecret)/);
  });

  it('rejects unknown and misspelt keys through values.schema.json', () => {
    expect(outcomes.ingressKey).toMatchObject({ ok: false });
    expect(outcomes.ingressKey.output).toMatch(/additional propert(y|ies) 'ingres' not allowed/);
    expect(outcomes.autoscalingKey).toMatchObject({ ok: false });
    expect(outcomes.autoscalingKey.output).toMatch(/'autoscale' not allowed/);
    expect(outcomes.autoscalingTypo).toMatchObject({ ok: false });
    expect(outcomes.autoscalingTypo.output).toMatch(/autoscaling.*'maxReplica' not allowed/);
    expect(outcomes.replicaTypo).toMatchObject({ ok: false });
    expect(outcomes.replicaTypo.output).toMatch(/services\/actions.*'replica' not allowed/);
    expect(outcomes.configTypo).toMatchObject({ ok: false });
    expect(outcomes.configTypo.output).toMatch(/'LOG_LEVL' not allowed/);
  });

  it('serves the web app and routes /api/<service>/ to each API under one host, when enabled', () => {
    const manifests = rendered('web');
    const web = named(manifests, 'Deployment', 'nmirf-web');
    const [container] = containersOf(web);
    expect(container.command).toEqual(['node', 'services/web/server.mjs']);
    const env = Object.fromEntries((container.env ?? []).map((item) => [item.name, item.value]));
    expect(env).toMatchObject({
      WEB_HOST: '0.0.0.0',
      OIDC_ISSUER_URL: 'https://id.example.org/realms/nmirf',
      OIDC_CLIENT_ID: 'nmirf-web',
      ...Object.fromEntries(
        apiNames.map((name) => [
          `${name.toUpperCase()}_API_URL`,
          expect.stringMatching(`^http://nmirf-${name}:\\d+$`),
        ]),
      ),
    });
    const [api, site] = ['nmirf-api', 'nmirf-web'].map((name) => named(manifests, 'Ingress', name));
    const paths = (ingress: Manifest) =>
      (ingress.spec as any).rules[0].http.paths.map((path: any) => [path.path, path.backend.service.name]);
    expect(paths(api)).toEqual(apiNames.map((name) => [`/api/${name}(/|$)(.*)`, `nmirf-${name}`]));
    expect(api.metadata.annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' });
    expect(paths(site)).toEqual([['/', 'nmirf-web']]);
    expect(site.metadata.annotations?.['nginx.ingress.kubernetes.io/rewrite-target']).toBeUndefined();
    // The web pods take requests from the ingress controller only, and call DNS and the APIs only.
    const policy = named(manifests, 'NetworkPolicy', 'nmirf-web') as any;
    expect(policy.spec.ingress).toHaveLength(1);
    const ports = policy.spec.egress.flatMap((rule: any) => rule.ports.map((port: any) => port.port));
    expect(new Set(ports)).toEqual(new Set([53, 3101, 3102, 3103, 3104]));
    expect(ofKind(rendered('defaults'), 'Ingress')).toEqual([]);
    expect(outcomes.ingressWithoutHost).toMatchObject({ ok: false });
    expect(outcomes.ingressWithoutHost.output).toMatch(/set ingress.host/);
  });

  it('keeps names within 63 characters and distinct for API and worker under the longest names', () => {
    for (const name of ['longRelease', 'longFullname'] as const) {
      const manifests = rendered(name);
      const deployments = ofKind(manifests, 'Deployment').map((deployment) => deployment.metadata.name);
      // All four services run a worker here: eight Deployments, eight distinct names.
      expect(deployments).toHaveLength(8);
      expect(new Set(deployments).size).toBe(8);
      for (const kind of new Set(manifests.map((manifest) => manifest.kind))) {
        const names = ofKind(manifests, kind).map((manifest) => manifest.metadata.name);
        expect({ render: name, kind, duplicates: names.length - new Set(names).size }).toEqual({
          render: name,
          kind,
          duplicates: 0,
        });
      }
      for (const deployment of ofKind(manifests, 'Deployment'))
        expect(deployment.metadata.name.endsWith(`-${componentOf(deployment)}`)).toBe(true);
    }
    expect(rendered('longFullname')[0].metadata.name.startsWith('nnnn')).toBe(true);
    // Helm itself refuses release names over 53 characters; a longer name comes from fullnameOverride.
    expect(outcomes.tooLongRelease).toMatchObject({ ok: false });
    expect(outcomes.tooLongRelease.output).toMatch(/must not be longer than 53/);
  });

  it('lets the APIs accept traffic only from the ingress controller, the release and Prometheus, the workers only Prometheus', () => {
    for (const name of ['defaults', 'production'] as const) {
      const manifests = rendered(name);
      const values = overlay(
        parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')),
        name === 'production' ? parse(readFileSync(productionValues, 'utf8')) : {},
      ) as { networkPolicy: { ingress: { controller: PolicyPeer } }; metrics: { scrapers: PolicyPeer[] } };
      const scrapers = values.metrics.scrapers;
      expect(scrapers.length).toBeGreaterThan(0);
      const fromScrapers = (rule: { from?: PolicyPeer[] }) =>
        JSON.stringify(rule.from) === JSON.stringify(scrapers);
      for (const api of apiDeployments(manifests)) {
        const policies = policiesFor(manifests, podTemplate(api).metadata.labels);
        expect(policies.length).toBeGreaterThan(0);
        for (const policy of policies) expect(policy.spec?.policyTypes).toContain('Ingress');
        const rules = policies.flatMap((policy) => policy.spec?.ingress ?? []);
        // Every rule names its peers: none opens the APIs to the whole cluster.
        expect(rules.every((rule) => (rule.from ?? []).length > 0)).toBe(true);
        const callers = rules.filter((rule) => !fromScrapers(rule));
        const peers = callers.flatMap((rule) => rule.from ?? []);
        expect(peers).toEqual(
          expect.arrayContaining([
            values.networkPolicy.ingress.controller,
            { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'nmirf' } } },
          ]),
        );
        expect(peers).toHaveLength(2);
        const port = `${apis[componentOf(api) as keyof typeof apis]}/TCP`;
        expect(portsOf(callers)).toContain(port);
        // Prometheus reaches the API's port (its /metrics) and nothing else is opened to it.
        const scrape = rules.filter(fromScrapers);
        expect(scrape).toHaveLength(1);
        expect(portsOf(scrape)).toContain(port);
      }
      for (const worker of workers(manifests)) {
        const policies = policiesFor(manifests, podTemplate(worker).metadata.labels);
        expect(policies.some((policy) => policy.spec?.policyTypes?.includes('Ingress'))).toBe(true);
        const rules = policies.flatMap((policy) => policy.spec?.ingress ?? []);
        expect(rules).toHaveLength(1);
        expect(fromScrapers(rules[0])).toBe(true);
        expect(portsOf(rules)).toContain('9464/TCP');
        expect(portsOf(rules).filter((port) => !/^310[1-4]\/TCP$/.test(port))).toEqual(['9464/TCP']);
      }
      const migration = policiesFor(
        manifests,
        podTemplate(named(manifests, 'Job', 'nmirf-migrate')).metadata.labels,
      );
      expect(migration.some((policy) => policy.spec?.policyTypes?.includes('Ingress'))).toBe(true);
      expect(migration.flatMap((policy) => policy.spec?.ingress ?? [])).toEqual([]);
    }
    // Without metrics, nothing reaches the workers.
    const off = rendered('metricsOff');
    for (const worker of workers(off))
      expect(
        policiesFor(off, podTemplate(worker).metadata.labels).flatMap((p) => p.spec?.ingress ?? []),
      ).toEqual([]);
  });

  it('lets every process reach only DNS, PostgreSQL, Redis, Kafka and the identity provider', () => {
    const defaults = rendered('defaults');
    for (const workload of workloads(defaults)) {
      const policies = policiesFor(defaults, podTemplate(workload).metadata.labels);
      expect(policies.some((policy) => policy.spec?.policyTypes?.includes('Egress'))).toBe(true);
      const egress = policies.flatMap((policy) => policy.spec?.egress ?? []);
      expect(portsOf(egress)).toEqual(
        ['443/TCP', '5432/TCP', '53/TCP', '53/UDP', '6379/TCP', '9092/TCP'].sort(),
      );
    }
    // Production names each destination: no port is open to any address.
    const production = rendered('production');
    for (const workload of workloads(production)) {
      const egress = policiesFor(production, podTemplate(workload).metadata.labels).flatMap(
        (policy) => policy.spec?.egress ?? [],
      );
      expect(egress.length).toBeGreaterThanOrEqual(5);
      for (const rule of egress) expect((rule.to ?? []).length).toBeGreaterThan(0);
    }
    // The chart's own Keycloak, when enabled, is allowed as well.
    const withKeycloak = rendered('keycloak');
    const keycloakPod = podTemplate(named(withKeycloak, 'Deployment', 'nmirf-keycloak')).metadata.labels;
    const api = apiDeployments(withKeycloak)[0];
    const egress = policiesFor(withKeycloak, podTemplate(api).metadata.labels).flatMap(
      (policy) => policy.spec?.egress ?? [],
    );
    expect(
      egress.some(
        (rule) =>
          (rule.to ?? []).some((peer) => peer.podSelector && selects(peer.podSelector, keycloakPod)) &&
          portsOf([rule]).includes('8080/TCP'),
      ),
    ).toBe(true);
  });

  it('probes the workers on their metrics port, or through the heartbeat file when the port is off', () => {
    for (const name of ['defaults', 'production'] as const) {
      for (const worker of workers(rendered(name))) {
        const [container] = podTemplate(worker).spec.containers;
        expect(container.ports).toEqual([expect.objectContaining({ name: 'metrics', containerPort: 9464 })]);
        expect(container.env).toEqual(expect.arrayContaining([{ name: 'METRICS_PORT', value: '9464' }]));
        for (const probe of [container.startupProbe, container.livenessProbe]) {
          expect(probe?.exec).toBeUndefined();
          expect(probe?.httpGet).toEqual({ path: '/health/live', port: 'metrics' });
        }
      }
    }
    const heartbeatWorkers = workers(rendered('heartbeatWorkers'));
    const metricsOffWorkers = workers(rendered('metricsOff'));
    expect(heartbeatWorkers).toHaveLength(3);
    for (const worker of [...heartbeatWorkers, ...metricsOffWorkers]) {
      const [container] = podTemplate(worker).spec.containers;
      expect(container.ports).toBeUndefined();
      expect(container.env?.map((variable) => variable.name)).not.toContain('METRICS_PORT');
      const heartbeat = container.env?.find((variable) => variable.name === 'WORKER_HEARTBEAT_FILE')?.value;
      expect(heartbeat).toBe('/tmp/worker-heartbeat');
      // The root filesystem is read-only: the file must sit on a writable volume.
      expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
      const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
      expect(
        podTemplate(worker).spec.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir,
      ).toBeDefined();
      for (const probe of [container.startupProbe, container.livenessProbe]) {
        expect(probe?.httpGet).toBeUndefined();
        expect(probe?.exec?.command).toEqual(container.livenessProbe?.exec?.command);
      }
    }
    // Run the probe's own command with sh, as the kubelet would inside the container.
    const command = podTemplate(heartbeatWorkers[0]).spec.containers[0].livenessProbe?.exec
      ?.command as string[];
    const file = join(work, 'heartbeat');
    const probe = () =>
      spawnSync(command[0], command.slice(1), { env: { ...process.env, WORKER_HEARTBEAT_FILE: file } })
        .status;
    expect(probe()).not.toBe(0); // no heartbeat yet
    writeFileSync(file, new Date().toISOString());
    expect(probe()).toBe(0);
    const stale = new Date(Date.now() - 120_000);
    utimesSync(file, stale, stale);
    expect(probe()).not.toBe(0);
  });

  it('lets Prometheus scrape every API and worker: PodMonitor with the token, or pod annotations', () => {
    const manifests = rendered('monitoring');
    const [monitor] = ofKind(manifests, 'PodMonitor') as unknown as Array<
      Manifest & {
        spec: {
          selector: LabelSelector;
          podMetricsEndpoints: Array<{
            port: string;
            path: string;
            honorLabels: boolean;
            authorization?: { type: string; credentials: { name: string; key: string } };
          }>;
        };
      }
    >;
    expect(monitor.metadata.labels?.release).toBe('kube-prometheus-stack');
    const scraped = ofKind(manifests, 'Deployment').filter((d) =>
      selects(monitor.spec.selector, podTemplate(d).metadata.labels),
    );
    expect(scraped.map(componentOf).sort()).toEqual(
      [...apiNames, 'notifications-worker', 'recommendations-worker', 'reporting-worker'].sort(),
    );
    expect(monitor.spec.podMetricsEndpoints.map((endpoint) => endpoint.port)).toEqual(['http', 'metrics']);
    for (const endpoint of monitor.spec.podMetricsEndpoints) {
      expect(endpoint).toMatchObject({ path: '/metrics', honorLabels: true });
      expect(endpoint.authorization).toEqual({
        type: 'Bearer',
        credentials: { name: 'nmirf-metrics', key: 'METRICS_TOKEN' },
      });
    }
    // Every scraped process has the port the PodMonitor names, and the token the scrape sends.
    for (const deployment of scraped) {
      const [container] = podTemplate(deployment).spec.containers;
      const isWorker = componentOf(deployment).endsWith('-worker');
      expect(container.ports?.map((port) => port.name)).toContain(isWorker ? 'metrics' : 'http');
      expect(container.env).toEqual(
        expect.arrayContaining([
          {
            name: 'METRICS_TOKEN',
            valueFrom: { secretKeyRef: { name: 'nmirf-metrics', key: 'METRICS_TOKEN' } },
          },
        ]),
      );
      expect(podTemplate(deployment).metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/path': '/metrics',
        'prometheus.io/port': isWorker ? '9464' : String(apis[componentOf(deployment) as keyof typeof apis]),
      });
    }
    for (const container of containersOf(named(manifests, 'Job', 'nmirf-migrate')))
      expect(container.env?.map((variable) => variable.name) ?? []).not.toContain('METRICS_TOKEN');
    expect(named(manifests, 'ConfigMap', 'nmirf-config').data?.METRICS_ENABLED).toBe('true');
    // Off by default; and nothing at all when metrics are off.
    for (const name of ['defaults', 'metricsOff'] as const) {
      expect(ofKind(rendered(name), 'PodMonitor')).toEqual([]);
      for (const deployment of ofKind(rendered(name), 'Deployment'))
        expect(Object.keys(podTemplate(deployment).metadata.annotations ?? {})).not.toContain(
          'prometheus.io/scrape',
        );
    }
    expect(named(rendered('metricsOff'), 'ConfigMap', 'nmirf-config').data?.METRICS_ENABLED).toBe('false');
    // Production: scraped with the token from the connections Secret, alerts and dashboard installed.
    const production = rendered('production');
    expect(ofKind(production, 'PodMonitor')).toHaveLength(1);
    expect(ofKind(production, 'PrometheusRule')).toHaveLength(1);
    expect(named(production, 'ConfigMap', 'nmirf-dashboards').metadata.labels?.grafana_dashboard).toBe('1');
    for (const deployment of ofKind(production, 'Deployment'))
      expect(podTemplate(deployment).spec.containers[0].env).toEqual(
        expect.arrayContaining([
          {
            name: 'METRICS_TOKEN',
            valueFrom: { secretKeyRef: { name: 'nmirf-connections', key: 'METRICS_TOKEN' } },
          },
        ]),
      );
  });

  it('autoscales the APIs on CPU, never beyond the topic partitions', () => {
    interface Hpa {
      spec: {
        scaleTargetRef: { kind: string; name: string };
        minReplicas: number;
        maxReplicas: number;
        metrics: Array<{ resource: { name: string; target: { averageUtilization: number } } }>;
      };
    }
    const manifests = rendered('autoscaled');
    const hpas = ofKind(manifests, 'HorizontalPodAutoscaler') as unknown as Array<Manifest & Hpa>;
    expect(hpas.map((hpa) => hpa.spec.scaleTargetRef.name).sort()).toEqual([
      'nmirf-actions',
      'nmirf-notifications',
      'nmirf-recommendations',
    ]);
    for (const hpa of hpas) {
      const target = named(manifests, 'Deployment', hpa.spec.scaleTargetRef.name);
      expect(hpa.spec.scaleTargetRef.kind).toBe('Deployment');
      expect(hpa.spec.maxReplicas).toBe(hpa.spec.scaleTargetRef.name === 'nmirf-actions' ? 4 : 6);
      expect(hpa.spec.minReplicas).toBe(2);
      expect(hpa.spec.metrics).toEqual([
        expect.objectContaining({
          resource: { name: 'cpu', target: expect.objectContaining({ averageUtilization: 70 }) },
        }),
      ]);
      // The HPA owns the replica count: helm upgrade must not reset it.
      expect(target.spec).not.toHaveProperty('replicas');
    }
    expect(named(manifests, 'Deployment', 'nmirf-reporting').spec).toHaveProperty('replicas', 2);
    expect(ofKind(rendered('defaults'), 'HorizontalPodAutoscaler')).toEqual([]);
    // Production: every API between one replica per zone and the partition count.
    const production = ofKind(rendered('production'), 'HorizontalPodAutoscaler') as unknown as Array<
      Manifest & Hpa
    >;
    expect(
      production.map((hpa) => [hpa.spec.scaleTargetRef.name, hpa.spec.minReplicas, hpa.spec.maxReplicas]),
    ).toEqual(apiNames.map((name) => [`nmirf-${name}`, 3, 6]));
    expect(outcomes.autoscaledBeyondPartitions.ok).toBe(false);
    expect(outcomes.autoscaledBeyondPartitions.output).toContain(
      'autoscaling of actions: maxReplicas 8 is above KAFKA_TOPIC_PARTITIONS (6)',
    );
    expect(outcomes.autoscaledMorePartitions.ok).toBe(true);
  });

  it('scales the consumers on Kafka lag and the workers on waiting jobs with KEDA', () => {
    interface ScaledObject {
      spec: {
        scaleTargetRef: { name: string };
        minReplicaCount: number;
        maxReplicaCount: number;
        triggers: Array<{
          type: string;
          metadata: Record<string, string>;
          authenticationRef?: { name: string };
        }>;
      };
    }
    const manifests = rendered('keda');
    const scaled = ofKind(manifests, 'ScaledObject') as unknown as Array<Manifest & ScaledObject>;
    const byTarget = new Map(scaled.map((object) => [object.spec.scaleTargetRef.name, object]));
    expect([...byTarget.keys()].sort()).toEqual(
      [
        ...apiNames.map((name) => `nmirf-${name}`),
        'nmirf-notifications-worker',
        'nmirf-recommendations-worker',
        'nmirf-reporting-worker',
      ].sort(),
    );
    const [auth] = ofKind(manifests, 'TriggerAuthentication') as unknown as Array<
      Manifest & { spec: { secretTargetRef: Array<{ parameter: string; name: string; key: string }> } }
    >;
    expect(auth.spec.secretTargetRef).toEqual([
      { parameter: 'password', name: 'nmirf-connections', key: 'KAFKA_SASL_PASSWORD' },
    ]);
    for (const name of apiNames) {
      const object = byTarget.get(`nmirf-${name}`) as Manifest & ScaledObject;
      // The consumer group each service's main.ts joins: <KAFKA_TOPIC_PREFIX><service>.
      const main = readFileSync(join(repoRoot, `services/${name}/src/main.ts`), 'utf8');
      const group = /consumerGroup: `\$\{config\.KAFKA_TOPIC_PREFIX\}([a-z-]+)`/.exec(main)?.[1];
      const [kafka, cpu] = object.spec.triggers;
      expect(kafka).toEqual({
        type: 'kafka',
        metadata: expect.objectContaining({
          bootstrapServers:
            'kafka-0.kafka.example.org:9094,kafka-1.kafka.example.org:9094,kafka-2.kafka.example.org:9094',
          consumerGroup: group,
          lagThreshold: '100',
          allowIdleConsumers: 'false',
          tls: 'enable',
          sasl: 'scram_sha512',
        }),
        authenticationRef: { name: auth.metadata.name },
      });
      expect(cpu).toMatchObject({ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } });
      expect(object.spec.maxReplicaCount).toBeLessThanOrEqual(6);
      expect(named(manifests, 'Deployment', `nmirf-${name}`).spec).not.toHaveProperty('replicas');
    }
    // The queues each worker runs, as the services name them.
    const queuesOf = (service: string) => {
      const names = new Set<string>();
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true }))
          if (entry.isDirectory()) walk(join(dir, entry.name));
          else if (entry.name.endsWith('.ts') && !entry.name.includes('spec'))
            for (const match of readFileSync(join(dir, entry.name), 'utf8').matchAll(
              /export const [A-Z_]+_QUEUE = '([a-z-]+)'/g,
            ))
              names.add(match[1]);
      };
      walk(join(repoRoot, `services/${service}/src`));
      return [...names].sort();
    };
    for (const service of ['notifications', 'reporting']) {
      const object = byTarget.get(`nmirf-${service}-worker`) as Manifest & ScaledObject;
      const [trigger] = object.spec.triggers;
      expect(trigger.type).toBe('prometheus');
      expect(trigger.metadata.serverAddress).toBe('http://prometheus-operated.monitoring.svc:9090');
      expect(trigger.metadata.threshold).toBe('20');
      const queues = /queue=~"([^"]+)"/.exec(trigger.metadata.query)?.[1].split('|').sort();
      expect(queues).toEqual(queuesOf(service));
      expect(trigger.metadata.query).toContain(
        'nmirf_queue_jobs{namespace="nmirf", service="' + service + '"',
      );
      expect(trigger.metadata.query).toContain('state="waiting"');
      expect(named(manifests, 'Deployment', `nmirf-${service}-worker`).spec).not.toHaveProperty('replicas');
    }
    // Straight from Redis: the BullMQ wait lists under the QUEUE_PREFIX the processes use.
    const redis = rendered('kedaRedis');
    const lists = (ofKind(redis, 'ScaledObject') as unknown as Array<Manifest & ScaledObject>).flatMap(
      (object) =>
        object.spec.triggers.map((trigger) => {
          expect(trigger).toMatchObject({
            type: 'redis',
            metadata: { address: 'redis.example.org:6379', listLength: '20' },
          });
          return trigger.metadata.listName;
        }),
    );
    expect(lists.sort()).toEqual([
      'staging:deadlines:wait',
      'staging:imports:wait',
      'staging:mail:wait',
      'staging:reporting-reminders:wait',
      'staging:reports:wait',
      'staging:webhooks:wait',
    ]);
    expect(ofKind(redis, 'TriggerAuthentication')).toEqual([
      expect.objectContaining({
        spec: { secretTargetRef: [{ parameter: 'password', name: 'nmirf-redis', key: 'REDIS_PASSWORD' }] },
      }),
    ]);
    // Off by default; the API replicas are KEDA's or an HPA's, never both.
    expect(ofKind(rendered('defaults'), 'ScaledObject')).toEqual([]);
    expect(outcomes.kedaWithHpa.ok).toBe(false);
    expect(outcomes.kedaWithHpa.output).toMatch(/would both scale the API Deployments/);
    expect(outcomes.kedaWithoutPrometheus.ok).toBe(false);
    expect(outcomes.kedaWithoutPrometheus.output).toContain('set keda.workers.prometheus.serverAddress');
    expect(outcomes.kedaBeyondPartitions.ok).toBe(false);
    expect(outcomes.kedaBeyondPartitions.output).toContain(
      'keda.consumers: maxReplicas 10 is above KAFKA_TOPIC_PARTITIONS (6)',
    );
  });

  it('spreads each API and each worker on its own, and lets a component override the spreading', () => {
    for (const name of ['defaults', 'production'] as const) {
      for (const deployment of ofKind(rendered(name), 'Deployment')) {
        const { labels } = podTemplate(deployment).metadata;
        const constraints = podTemplate(deployment).spec.topologySpreadConstraints ?? [];
        expect(constraints.map((constraint) => constraint.topologyKey).sort()).toEqual([
          'kubernetes.io/hostname',
          'topology.kubernetes.io/zone',
        ]);
        for (const constraint of constraints) {
          expect(selects(constraint.labelSelector, labels)).toBe(true);
          expect(constraint.labelSelector?.matchLabels?.['app.kubernetes.io/component']).toBe(
            componentOf(deployment),
          );
        }
      }
    }
    const overridden = rendered('spreadOverrides');
    expect(
      podTemplate(named(overridden, 'Deployment', 'release-name-nmirf-actions')).spec
        .topologySpreadConstraints,
    ).toEqual([
      expect.objectContaining({
        maxSkew: 2,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
      }),
    ]);
    expect(
      podTemplate(named(overridden, 'Deployment', 'release-name-nmirf-reporting-worker')).spec
        .topologySpreadConstraints,
    ).toBeUndefined();
  });

  it('renders no credential outside a Secret and reads each one through a secretKeyRef', () => {
    for (const name of ['defaults', 'production'] as const) {
      const manifests = rendered(name);
      // With an existing Secret the chart renders none of its own.
      expect(ofKind(manifests, 'Secret')).toEqual([]);
    }
    const manifests = rendered('chartSecret');
    for (const manifest of manifests.filter((m) => m.kind !== 'Secret')) {
      const text = stringify(manifest);
      for (const secret of Object.values(secrets))
        expect({
          manifest: `${manifest.kind} ${manifest.metadata.name}`,
          leaks: text.includes(secret),
        }).toEqual({
          manifest: `${manifest.kind} ${manifest.metadata.name}`,
          leaks: false,
        });
    }
    const chartSecrets = ofKind(manifests, 'Secret').map((secret) => stringify(secret));
    for (const secret of Object.values(secrets))
      expect(chartSecrets.some((text) => text.includes(secret))).toBe(true);
    for (const name of ['defaults', 'production', 'chartSecret'] as const) {
      for (const workload of workloads(rendered(name))) {
        for (const container of containersOf(workload)) {
          if (container.name === 'done') continue;
          const credentials = (container.env ?? []).filter((variable) =>
            ['DATABASE_URL', 'REDIS_URL', 'KAFKA_SASL_PASSWORD'].includes(variable.name),
          );
          expect(credentials.map((variable) => variable.name).sort()).toEqual(
            name === 'defaults'
              ? ['DATABASE_URL', 'REDIS_URL']
              : ['DATABASE_URL', 'KAFKA_SASL_PASSWORD', 'REDIS_URL'],
          );
          for (const variable of credentials) {
            expect(variable.value).toBeUndefined();
            expect(variable.valueFrom?.secretKeyRef?.key).toBeTruthy();
          }
        }
      }
      const config = ofKind(rendered(name), 'ConfigMap').flatMap((map) => Object.keys(map.data ?? {}));
      expect(config.filter((key) => /URL$|PASSWORD/.test(key) && key !== 'OIDC_ISSUER_URL')).toEqual([]);
    }
  });

  it('rolls the pods when the ConfigMap, the chart Secret or secretChecksum changes', () => {
    const annotations = (name: Case) =>
      apiDeployments(rendered(name)).map((api) => podTemplate(api).metadata.annotations ?? {});
    for (const pod of annotations('defaults')) {
      expect(pod['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
      expect(pod['checksum/connections']).toBeUndefined();
      expect(pod['checksum/secrets']).toBeUndefined();
    }
    for (const pod of annotations('secretChecksum')) expect(pod['checksum/secrets']).toBe('rotated-2026-11');
    const before = annotations('chartSecret')[0];
    const after = annotations('rotatedChartSecret')[0];
    expect(before['checksum/connections']).toMatch(/^[0-9a-f]{64}$/);
    expect(after['checksum/connections']).not.toBe(before['checksum/connections']);
    expect(after['checksum/config']).toBe(before['checksum/config']);
    expect(annotations('production')[0]['checksum/config']).not.toBe(
      annotations('defaults')[0]['checksum/config'],
    );
  });

  it('gives every process the environment the platform validates, OIDC and Kafka security included', () => {
    for (const name of ['defaults', 'production', 'chartSecret', 'keycloak'] as const) {
      const manifests = rendered(name);
      for (const workload of workloads(manifests)) {
        for (const container of containersOf(workload)) {
          if (container.name === 'done') continue;
          const env = containerEnvironment(manifests, container);
          const isWorker = componentOf(workload).endsWith('-worker');
          const schema = isWorker ? platformEnvSchema.extend(workerHttpPort) : platformEnvSchema;
          const parsed = schema.safeParse(env);
          expect({
            render: name,
            container: container.name,
            issues: parsed.success ? [] : parsed.error.issues,
          }).toEqual({ render: name, container: container.name, issues: [] });
          expect(env.OIDC_AUDIENCE).toBe('nmirf-api');
          expect(env.OIDC_ROLES_CLAIM).toBe('roles');
          expect(env.OIDC_INSTITUTIONS_CLAIM).toBe('institutions');
          expect(env.HTTP_DOCS_ENABLED).toBe(name === 'production' ? 'false' : 'true');
        }
      }
    }
    const production = named(rendered('production'), 'ConfigMap', 'nmirf-config').data ?? {};
    expect(production).toMatchObject({
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'nmirf',
      OIDC_ISSUER_URL: 'https://id.example.org/realms/nmirf',
    });
    const defaults = named(rendered('defaults'), 'ConfigMap', 'nmirf-config').data ?? {};
    expect(defaults.KAFKA_SSL).toBe('false');
    expect(defaults).not.toHaveProperty('KAFKA_SASL_MECHANISM');
    // Keycloak is off unless asked for; when on without an issuer, the APIs trust the chart's.
    expect(ofKind(rendered('defaults'), 'Deployment').map(componentOf)).not.toContain('keycloak');
    expect(named(rendered('keycloak'), 'ConfigMap', 'nmirf-config').data?.OIDC_ISSUER_URL).toBe(
      'http://nmirf-keycloak:8080/realms/nmirf',
    );
  });

  it('keeps evidence files in a kept ReadWriteMany volume of the actions API, or in the bucket configured', () => {
    const evidenceSchema = platformEnvSchema.extend(evidenceStorageEnv).superRefine(checkEvidenceStorage);
    const actionsOf = (manifests: Manifest[]) => named(manifests, 'Deployment', 'nmirf-actions');
    const local = rendered('defaults');
    const claim = named(local, 'PersistentVolumeClaim', 'nmirf-evidence');
    expect(claim.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    expect(claim.spec).toMatchObject({ accessModes: ['ReadWriteMany'] });
    const api = containersOf(actionsOf(local))[0];
    const env = containerEnvironment(local, api);
    expect(evidenceSchema.safeParse(env).success).toBe(true);
    expect(env).toMatchObject({ EVIDENCE_STORAGE: 'local', EVIDENCE_MAX_BYTES: String(25 * 1024 * 1024) });
    expect(api.volumeMounts).toContainEqual({ name: 'evidence', mountPath: env.EVIDENCE_DIR });
    expect(podTemplate(actionsOf(local)).spec.volumes).toContainEqual({
      name: 'evidence',
      persistentVolumeClaim: { claimName: 'nmirf-evidence' },
    });
    // Only the actions service keeps evidence.
    for (const other of apiDeployments(local).filter((api) => componentOf(api) !== 'actions'))
      for (const container of containersOf(other))
        expect((container.env ?? []).filter((variable) => variable.name.startsWith('EVIDENCE_'))).toEqual([]);

    const s3 = rendered('evidenceS3');
    expect(ofKind(s3, 'PersistentVolumeClaim').map((pvc) => pvc.metadata.name)).not.toContain(
      'nmirf-evidence',
    );
    const s3Api = containersOf(actionsOf(s3))[0];
    const s3Env = containerEnvironment(s3, s3Api);
    const parsed = evidenceSchema.safeParse(s3Env);
    expect(parsed.success && parsed.data).toMatchObject({
      EVIDENCE_STORAGE: 's3',
      EVIDENCE_S3_BUCKET: 'nmirf-evidence',
      EVIDENCE_S3_ENDPOINT: 'https://minio.example.org',
      EVIDENCE_S3_FORCE_PATH_STYLE: true,
    });
    for (const key of ['EVIDENCE_S3_ACCESS_KEY_ID', 'EVIDENCE_S3_SECRET_ACCESS_KEY'])
      expect(s3Api.env?.find((variable) => variable.name === key)?.valueFrom?.secretKeyRef).toEqual({
        name: 'nmirf-evidence-s3',
        key,
      });
    expect(s3Api.volumeMounts?.map((mount) => mount.name)).not.toContain('evidence');
    // The migration validates the same configuration before it migrates.
    const migration = containersOf(named(s3, 'Job', 'nmirf-migrate')).find(
      (c) => c.name === 'migrate-actions',
    );
    expect(evidenceSchema.safeParse(containerEnvironment(s3, migration as Container)).success).toBe(true);
    expect(outcomes.evidenceS3WithoutBucket.ok).toBe(false);
    expect(outcomes.evidenceS3WithoutBucket.output).toContain('set evidence.s3.bucket');
  });

  it('shares uploaded import files between the recommendations API and worker, in the evidence storage', () => {
    const local = rendered('defaults');
    const recommendations = ['nmirf-recommendations', 'nmirf-recommendations-worker'].map((name) =>
      named(local, 'Deployment', name),
    );
    for (const deployment of recommendations) {
      const [container] = containersOf(deployment);
      const env = containerEnvironment(local, container);
      expect(env).toMatchObject({
        IMPORT_STORAGE: 'local',
        IMPORT_STORAGE_DIR: '/var/lib/nmirf/evidence/imports',
      });
      expect(container.volumeMounts).toContainEqual({
        name: 'evidence',
        mountPath: '/var/lib/nmirf/evidence',
      });
      expect(podTemplate(deployment).spec.volumes).toContainEqual({
        name: 'evidence',
        persistentVolumeClaim: { claimName: 'nmirf-evidence' },
      });
    }
    expect(containersOf(recommendations[1])[0].command).toEqual([
      'node',
      'services/recommendations/dist/worker.js',
    ]);

    const s3 = rendered('evidenceS3');
    for (const name of ['nmirf-recommendations', 'nmirf-recommendations-worker']) {
      const [container] = containersOf(named(s3, 'Deployment', name));
      expect(containerEnvironment(s3, container)).toMatchObject({
        IMPORT_STORAGE: 's3',
        IMPORT_S3_BUCKET: 'nmirf-evidence',
        IMPORT_S3_PREFIX: 'imports/',
        IMPORT_S3_ENDPOINT: 'https://minio.example.org',
      });
      expect(container.volumeMounts?.map((mount) => mount.name)).not.toContain('evidence');
    }
  });

  it('gives the notifications API and worker the mail and webhook settings, SMTP_URL from the Secret', () => {
    const manifests = rendered('mail');
    const notifications = workloads(manifests).filter((workload) =>
      ['notifications', 'notifications-worker'].includes(componentOf(workload)),
    );
    expect(notifications.map(componentOf).sort()).toEqual(['notifications', 'notifications-worker']);
    for (const workload of notifications) {
      const [container] = containersOf(workload);
      const smtp = (container.env ?? []).find((variable) => variable.name === 'SMTP_URL');
      expect(smtp).toEqual({
        name: 'SMTP_URL',
        valueFrom: { secretKeyRef: { name: 'nmirf-connections', key: 'SMTP_URL' } },
      });
      expect(containerEnvironment(manifests, container)).toMatchObject({
        MAIL_FROM: 'Ministerio <avisos@nmirf.example.org>',
        WEB_APP_URL: 'https://nmirf.example.org',
        WEBHOOK_ALLOWED_HOSTS: 'cases.gov.internal,tracker.parliament.internal',
        WEBHOOK_ALLOWED_CIDRS: '10.20.0.0/16',
      });
    }
    // Other services get none of it; without mail.enabled no SMTP_URL at all (no mail is sent).
    for (const workload of workloads(manifests).filter((w) => !notifications.includes(w)))
      for (const container of containersOf(workload))
        expect((container.env ?? []).map((variable) => variable.name)).not.toContain('SMTP_URL');
    for (const workload of workloads(rendered('defaults')))
      for (const container of containersOf(workload))
        expect((container.env ?? []).map((variable) => variable.name)).not.toContain('SMTP_URL');
    expect(outcomes.mailWithoutWebApp.ok).toBe(false);
    expect(outcomes.mailWithoutWebApp.output).toContain('set mail.webAppUrl');
  });

  it('adds extraEnvFrom and extraEnv to every process', () => {
    const manifests = rendered('extraEnvFrom');
    for (const workload of workloads(manifests)) {
      for (const container of containersOf(workload)) {
        if (container.name === 'done') continue;
        expect(container.envFrom).toEqual(expect.arrayContaining([{ secretRef: { name: 'nmirf-smtp' } }]));
        expect(container.env).toEqual(expect.arrayContaining([{ name: 'QUEUE_PREFIX', value: 'staging' }]));
      }
    }
  });

  it('checks the audit chains every night with the database credentials from the Secret', () => {
    for (const name of ['defaults', 'production'] as const) {
      const cron = named(rendered(name), 'CronJob', 'nmirf-audit-verify').spec as unknown as {
        schedule: string;
        concurrencyPolicy: string;
        jobTemplate: { spec: { template: PodTemplate } };
      };
      expect(cron.schedule).toBe('17 3 * * *');
      expect(cron.concurrencyPolicy).toBe('Forbid');
      const pod = cron.jobTemplate.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      const [container] = pod.containers;
      expect(container.command).toEqual(['node', 'infra/scripts/audit-verify.mjs']);
      expect(container.env).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            name: 'DATABASE_URL',
            valueFrom: expect.objectContaining({ secretKeyRef: expect.any(Object) }),
          }),
        ]),
      );
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
    }
  });

  it('runs every pod under the chart ServiceAccount without a mounted token', () => {
    for (const name of ['defaults', 'production'] as const) {
      const manifests = rendered(name);
      const accounts = ofKind(manifests, 'ServiceAccount');
      expect(accounts.map((account) => account.metadata.name).sort()).toEqual(['nmirf', 'nmirf-migrate']);
      for (const account of accounts) expect(account.automountServiceAccountToken).toBe(false);
      for (const workload of workloads(manifests)) {
        const spec = podTemplate(workload).spec;
        expect(spec.automountServiceAccountToken).toBe(false);
        expect(spec.serviceAccountName).toBe(workload.kind === 'Job' ? 'nmirf-migrate' : 'nmirf');
      }
    }
  });
});

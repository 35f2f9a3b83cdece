import { repoRoot, run } from '@mctb/devstack';
import { healthRoutes, MetricsRegistry } from '@mctb/service-kit';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartDir, renderChart, type Manifest, type RenderOptions } from './chart.js';
import { ensureHelm, ensureKubernetesValidate, type KubernetesValidate } from './tools.js';

/**
 * The Helm chart as an operator meets it: `helm lint --strict`, `helm template` with the default
 * values and a production-like file (plus the variants an operator switches on), every rendered
 * object validated against the Kubernetes JSON schemas of the oldest release the chart supports and
 * the newest one the validator knows (kubernetes-validate --strict: unknown fields are errors), and
 * what an operator would notice checked against the code: probe paths and ports, every credential
 * from a Secret, autoscalers and budgets aimed at what exists, the environment each container gets
 * accepted by that service's own env validation.
 */

const KUBERNETES_VERSIONS = ['1.25', '1.37'];
const PRODUCTION_VALUES = join(chartDir, 'ci', 'production-values.yaml');
/** Every variable that holds a credential: never a literal value in a manifest. */
const SECRET_VARIABLES = ['DATABASE_URL', 'MCTB_SECRETS_KEY', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'SMTP_URL', 'TEMPORAL_API_KEY'];
/** What each component runs, where its HTTP server listens (its env.ts), and the port variable. */
const COMPONENTS = {
  gateway: { script: 'services/gateway/dist/main.js', portVariable: 'GATEWAY_PORT', hostVariable: 'GATEWAY_HOST', envModule: 'services/gateway/dist/env.js' },
  'control-plane': { script: 'services/control-plane/dist/main.js', portVariable: 'CONTROL_PLANE_PORT', hostVariable: 'CONTROL_PLANE_HOST', envModule: 'services/control-plane/dist/env.js' },
  worker: { script: 'services/worker/dist/main.js', portVariable: 'WORKER_PORT', hostVariable: 'WORKER_HOST', envModule: 'services/worker/dist/env.js' },
} as const;
type Component = keyof typeof COMPONENTS;

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Container {
  name: string;
  command?: string[];
  env?: EnvVar[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  startupProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string } }[];
}

let helm: string;
let validator: KubernetesValidate;
let scratch: string;

beforeAll(async () => {
  // Built/installed once into the cache (helm: a few minutes with Go; kubernetes-validate: seconds with pip).
  [helm, validator] = await Promise.all([ensureHelm(), ensureKubernetesValidate()]);
  scratch = await mkdtemp(join(tmpdir(), 'mctb-chart-'));
}, 20 * 60_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const named = (manifests: Manifest[], kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
const podSpec = (manifest: Manifest): PodSpec => (manifest.spec as { template: { spec: PodSpec } }).template.spec;
const podLabels = (manifest: Manifest): Record<string, string> => (manifest.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
const componentOf = (manifest: Manifest): Component => manifest.metadata.labels?.['app.kubernetes.io/component'] as Component;
const envOf = (container: Container): Map<string, EnvVar> => new Map((container.env ?? []).map((variable) => [variable.name, variable]));
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);

async function validateSchemas(name: string, yaml: string): Promise<{ output: string; missingSchemas: string[] }> {
  const file = join(scratch, `${name}.yaml`);
  await writeFile(file, yaml);
  const versions = KUBERNETES_VERSIONS.flatMap((version) => ['-k', version]);
  const result = await run(validator.python, [...validator.args, '--strict', '--quiet', ...versions, file]);
  const output = `${result.stdout}${result.stderr}`;
  expect(result.code, output).toBe(0);
  expect(output).not.toMatch(/ERROR/);
  const missingSchemas = [...output.matchAll(/Couldn't find schema for kind (\S+) with api version (\S+)/g)].map((match) => `${match[2]}/${match[1]}`);
  return { output, missingSchemas: [...new Set(missingSchemas)] };
}

/** The environment a container would start with, the Secret's keys given plausible values. */
function resolvedEnv(container: Container): Record<string, string> {
  const plausible: Record<string, string> = {
    DATABASE_URL: 'postgres://mctb:secret@postgres.example.net:5432/mctb?sslmode=require',
    MCTB_SECRETS_KEY: `k1:${randomBytes(32).toString('base64')}`,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'a'.repeat(32),
    SMTP_URL: 'smtp://user:pass@smtp.example.net:587',
    TEMPORAL_API_KEY: 'temporal-api-key',
  };
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.secretKeyRef) {
      const value = plausible[variable.valueFrom.secretKeyRef.key];
      if (value === undefined) throw new Error(`no plausible value for the Secret key ${variable.valueFrom.secretKeyRef.key}`);
      env[variable.name] = value;
    }
  }
  return env;
}

/** Checks that hold for every rendering: the operator-visible contract of the chart. */
async function checkRendering(name: string, options: RenderOptions) {
  const { yaml, manifests } = await renderChart(helm, options);
  const { missingSchemas } = await validateSchemas(name, yaml);
  // Only KEDA's custom resources lack a Kubernetes schema; they are checked field by field below.
  expect(missingSchemas.filter((kind) => !kind.startsWith('keda.sh/'))).toEqual([]);

  const deployments = byKind(manifests, 'Deployment');
  expect(deployments.map(componentOf).sort()).toEqual(['control-plane', 'gateway', 'worker']);
  const health = healthRoutes({ readiness: {}, metrics: new MetricsRegistry() });

  for (const deployment of deployments) {
    const component = componentOf(deployment);
    const spec = podSpec(deployment);
    const [container] = spec.containers;
    if (!container) throw new Error(`${deployment.metadata.name} has no container`);
    const env = envOf(container);
    const expected = COMPONENTS[component];

    // It runs the service's build output, which npm run build produced in this checkout.
    expect(container.command).toEqual(['node', expected.script]);
    expect(existsSync(join(repoRoot, expected.script)), `${expected.script} (run npm run build)`).toBe(true);

    // Probes hit the port the service listens on (its *_PORT variable), on all interfaces.
    const http = container.ports?.find((port) => port.name === 'http');
    expect(http, `${component} names its port http`).toBeDefined();
    expect(env.get(expected.portVariable)?.value).toBe(String(http?.containerPort));
    expect(env.get(expected.hostVariable)?.value).toBe('0.0.0.0');
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe?.httpGet?.port).toBe('http');
    // ... at paths the services' health routes (service-kit, mounted by all three) answer.
    for (const probe of [container.livenessProbe, container.readinessProbe, container.startupProbe]) {
      const response = await health.request(probe?.httpGet?.path ?? '/missing');
      expect(response.status, `${component} probe ${probe?.httpGet?.path}`).toBe(200);
    }

    // Requests and limits on every container.
    expect(container.resources?.requests?.cpu).toBeTruthy();
    expect(container.resources?.requests?.memory).toBeTruthy();
    expect(container.resources?.limits?.memory).toBeTruthy();

    // Credentials only from Secrets: by reference, never as a literal.
    for (const variable of container.env ?? []) {
      if (SECRET_VARIABLES.includes(variable.name)) {
        expect(variable.value, `${component} ${variable.name}`).toBeUndefined();
        expect(variable.valueFrom?.secretKeyRef?.key, `${component} ${variable.name}`).toBe(variable.name);
      } else {
        expect(variable.value ?? '', `${component} ${variable.name}`).not.toMatch(/:\/\/[^/\s:]+:[^@\s]+@/);
      }
    }
    expect(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef?.optional).toBeUndefined();

    // The service's own env validation accepts what the chart gives it (a bad or missing variable
    // would stop the pod at start): its env module is loaded with exactly that environment.
    const loaded = await run(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(join(repoRoot, expected.envModule))});`], {
      env: { PATH: process.env.PATH ?? '', ...resolvedEnv(container) },
    });
    expect(loaded.code, `${component} env validation:\n${loaded.stderr}`).toBe(0);
  }

  // Services select pods that exist and reach them on their http port.
  for (const service of byKind(manifests, 'Service')) {
    const selector = (service.spec as { selector: Record<string, string> }).selector;
    expect(deployments.filter((deployment) => matches(selector, podLabels(deployment))), service.metadata.name).toHaveLength(1);
    expect((service.spec as { ports: { targetPort: string }[] }).ports.map((port) => port.targetPort)).toEqual(['http']);
  }
  // Every autoscaler and budget is aimed at a Deployment of this release.
  for (const hpa of byKind(manifests, 'HorizontalPodAutoscaler')) {
    const target = (hpa.spec as { scaleTargetRef: { apiVersion: string; kind: string; name: string } }).scaleTargetRef;
    expect(target.apiVersion).toBe('apps/v1');
    expect(named(manifests, target.kind, target.name), `${hpa.metadata.name} targets ${target.kind}/${target.name}`).toBeDefined();
  }
  for (const pdb of byKind(manifests, 'PodDisruptionBudget')) {
    const selector = (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
    expect(deployments.filter((deployment) => matches(selector, podLabels(deployment))), pdb.metadata.name).toHaveLength(1);
  }
  return manifests;
}

describe('the Helm chart', () => {
  it('passes helm lint --strict with the default and the production-like values', async () => {
    for (const args of [[], ['--values', PRODUCTION_VALUES]]) {
      const lint = await run(helm, ['lint', '--strict', chartDir, ...args]);
      expect(lint.code, lint.stdout + lint.stderr).toBe(0);
      expect(lint.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      expect(lint.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    }
  });

  it('renders valid objects with the default values: CPU autoscaling for gateways and workers, migrations in a hook Job', async () => {
    const manifests = await checkRendering('default', {});
    const hpaTargets = byKind(manifests, 'HorizontalPodAutoscaler').map((hpa) => (hpa.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name);
    expect(hpaTargets.sort()).toEqual(['mctb-gateway', 'mctb-worker']);
    const gatewayHpa = named(manifests, 'HorizontalPodAutoscaler', 'mctb-gateway');
    expect(gatewayHpa?.apiVersion).toBe('autoscaling/v2');
    expect((gatewayHpa?.spec as { metrics: unknown[] }).metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    expect(byKind(manifests, 'PodDisruptionBudget')).toHaveLength(3);
    expect(byKind(manifests, 'ScaledObject')).toEqual([]);

    // Migrations run once, before the pods of an install or upgrade, with the same image; the pods skip them.
    const job = named(manifests, 'Job', 'mctb-migrate');
    expect(job?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    const [migrate] = podSpec(job as Manifest).containers;
    expect(migrate?.command).toEqual(['node', 'services/control-plane/dist/migrate.js']);
    expect(existsSync(join(repoRoot, 'services/control-plane/dist/migrate.js'))).toBe(true);
    expect(envOf(migrate as Container).get('DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'mctb-secrets', key: 'DATABASE_URL' });
    for (const deployment of byKind(manifests, 'Deployment')) {
      expect(envOf(podSpec(deployment).containers[0] as Container).get('DB_MIGRATE_ON_START')?.value).toBe('false');
    }
    // No Secret is made by the chart: it names the one the operator keeps.
    expect(byKind(manifests, 'Secret')).toEqual([]);
  });

  it('renders valid objects with production-like values: Temporal Cloud over mTLS and workers scaled by KEDA on task-queue backlog', async () => {
    const manifests = await checkRendering('production', { valuesFiles: [PRODUCTION_VALUES] });
    // The worker has a ScaledObject and no HPA of its own (KEDA makes one; two would fight).
    expect(byKind(manifests, 'HorizontalPodAutoscaler').map((hpa) => hpa.metadata.name).sort()).toEqual(['mctb-control-plane', 'mctb-gateway']);
    const scaled = named(manifests, 'ScaledObject', 'mctb-worker');
    const spec = scaled?.spec as {
      scaleTargetRef: { name: string; kind?: string };
      minReplicaCount: number;
      maxReplicaCount: number;
      triggers: { type: string; metadata: Record<string, unknown>; authenticationRef?: { name: string } }[];
    };
    expect(scaled?.apiVersion).toBe('keda.sh/v1alpha1');
    expect(named(manifests, 'Deployment', spec.scaleTargetRef.name)).toBeDefined();
    expect([spec.minReplicaCount, spec.maxReplicaCount]).toEqual([3, 30]);
    const temporal = spec.triggers.filter((trigger) => trigger.type === 'temporal');
    expect(temporal.map((trigger) => trigger.metadata.taskQueue)).toEqual(['textback', 'provisioning']);
    for (const trigger of spec.triggers) {
      // KEDA's trigger metadata is map[string]string: a number here is rejected by the API server.
      for (const [key, value] of Object.entries(trigger.metadata)) expect(typeof value, `${trigger.type}.${key}`).toBe('string');
    }
    expect(temporal[0]?.metadata).toMatchObject({ endpoint: 'mctb-prod.a1b2c.tmprl.cloud:7233', namespace: 'mctb-prod.a1b2c', targetQueueSize: '20', queueTypes: 'workflow,activity' });
    // KEDA reaches Temporal Cloud with the same client certificate the pods mount.
    const auth = named(manifests, 'TriggerAuthentication', temporal[0]?.authenticationRef?.name ?? '');
    expect((auth?.spec as { secretTargetRef: unknown[] }).secretTargetRef).toEqual([
      { parameter: 'cert', name: 'temporal-client-tls', key: 'tls.crt' },
      { parameter: 'key', name: 'temporal-client-tls', key: 'tls.key' },
    ]);

    for (const deployment of byKind(manifests, 'Deployment')) {
      const pod = podSpec(deployment);
      const [container] = pod.containers;
      const env = envOf(container as Container);
      expect(env.get('TEMPORAL_TLS_CLIENT_CERT_PATH')?.value).toBe('/etc/mctb/temporal-tls/tls.crt');
      expect(env.get('TEMPORAL_TLS_CLIENT_KEY_PATH')?.value).toBe('/etc/mctb/temporal-tls/tls.key');
      expect(container?.volumeMounts).toContainEqual({ name: 'temporal-tls', mountPath: '/etc/mctb/temporal-tls', readOnly: true });
      expect(pod.volumes?.find((volume) => volume.name === 'temporal-tls')?.secret?.secretName).toBe('temporal-client-tls');
      expect(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef?.name).toBe('mctb-production');
      // The managed PostgreSQL's CA, named by DATABASE_URL's sslrootcert.
      expect(container?.volumeMounts).toContainEqual({ name: 'db-ca', mountPath: '/etc/mctb/db-ca', readOnly: true });
    }
    // Ingresses publish the webhooks and the API/dashboard only, not /metrics.
    const paths = byKind(manifests, 'Ingress').flatMap((ingress) =>
      (ingress.spec as { rules: { http: { paths: { path: string }[] } }[] }).rules.flatMap((rule) => rule.http.paths.map((path) => path.path)),
    );
    expect(paths.sort()).toEqual(['/', '/dashboard', '/graphql', '/plugins/', '/twilio/']);
  });

  it('renders valid objects for a Temporal API key, a chart-made development Secret and migrations on start', async () => {
    const manifests = await checkRendering('variants', {
      set: {
        'temporal.apiKey': 'true',
        'temporal.address': 'us-east-1.aws.api.temporal.io:7233',
        'worker.autoscaling.keda.enabled': 'true',
        'secrets.create': 'true',
        'secrets.values.DATABASE_URL': 'postgres://mctb:dev@postgres:5432/mctb',
        'migrations.enabled': 'false',
      },
    });
    const auth = byKind(manifests, 'TriggerAuthentication')[0];
    expect((auth?.spec as { secretTargetRef: unknown[] }).secretTargetRef).toEqual([{ parameter: 'apiKey', name: 'mctb-env', key: 'TEMPORAL_API_KEY' }]);
    const secret = named(manifests, 'Secret', 'mctb-env');
    // Made before the hooks' Job would need it; the pods restart when its values change.
    expect(secret?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(byKind(manifests, 'Job')).toEqual([]);
    for (const deployment of byKind(manifests, 'Deployment')) {
      const env = envOf(podSpec(deployment).containers[0] as Container);
      expect(env.get('TEMPORAL_API_KEY')?.valueFrom?.secretKeyRef).toEqual({ name: 'mctb-env', key: 'TEMPORAL_API_KEY' });
      expect(env.get('DB_MIGRATE_ON_START')?.value).toBe('true');
      expect((deployment.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations['checksum/secret']).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('refuses misspelt or mistyped values (values.schema.json) before rendering anything', async () => {
    await expect(renderChart(helm, { set: { 'gateway.publicURL': 'https://hooks.example.net' } })).rejects.toThrow(/additional properties 'publicURL' not allowed/);
    await expect(renderChart(helm, { set: { 'worker.autoscaling.keda.targetQueueSize': 'twenty' } })).rejects.toThrow(/targetQueueSize/);
    await expect(renderChart(helm, { set: { 'temporal.address': 'https://temporal.example.net' } })).rejects.toThrow(/temporal\/address/);
  });

  it('refuses to render without a Secret to read credentials from', async () => {
    await expect(renderChart(helm, { set: { 'secrets.existingSecret': '' } })).rejects.toThrow(/secrets.existingSecret: name the Secret holding DATABASE_URL/);
  });
});

import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { freePort } from './ports.js';
import { dropDatabase } from './postgres.js';
import { startTemporalCluster } from './temporal-cluster.js';
import type { RunningTemporal } from './temporal-dev-server.js';
import { ensureTemporalServerBinaries } from './temporal-server-binaries.js';

// What the test run's global setup provides (declared in @mctb/testkit, which builds on this package).
declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    temporalCli: string;
  }
}

Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });

describe('startTemporalCluster: the real Temporal server with its state in PostgreSQL', () => {
  const adminUrl = inject('postgresAdminUrl');
  const suffix = randomBytes(4).toString('hex');
  const databases = { main: `temporal_test_${suffix}`, visibility: `temporal_visibility_test_${suffix}` };
  let configDir: string | undefined;
  let cluster: RunningTemporal | undefined;

  afterAll(async () => {
    await cluster?.stop();
    if (configDir) await rm(configDir, { recursive: true, force: true });
    await dropDatabase(adminUrl, databases.main);
    await dropDatabase(adminUrl, databases.visibility);
  });

  it('completes a workflow on a worker, and still knows it after a restart on the same databases', async () => {
    const binaries = await ensureTemporalServerBinaries();
    configDir = await mkdtemp(join(tmpdir(), 'mctb-temporal-cluster-'));
    const port = await freePort();
    const start = () => startTemporalCluster({ binaries, cli: inject('temporalCli'), postgresUrl: adminUrl, databases, port, configDir: configDir!, numHistoryShards: 2 });
    cluster = await start();
    // The config names absolute paths and our ports, and PostgreSQL for both stores.
    const config = await readFile(join(configDir, 'temporal-server.yaml'), 'utf8');
    expect(config).toContain(`grpcPort: ${port}`);
    expect(config).toContain(`filepath: ${JSON.stringify(join(configDir, 'dynamic-config.yaml'))}`);
    expect(config.match(/pluginName: "postgres12"/g)).toHaveLength(2);

    const workerConnection = await NativeConnection.connect({ address: cluster.address });
    const worker = await Worker.create({
      connection: workerConnection,
      taskQueue: 'cluster-test',
      workflowsPath: fileURLToPath(new URL(`./testing/cluster-workflow${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)),
      activities: { greet: async (name: string) => `hello, ${name}` },
    });
    const connection = await Connection.connect({ address: cluster.address });
    const client = new Client({ connection });
    try {
      const result = await worker.runUntil(client.workflow.execute('greeting', { taskQueue: 'cluster-test', workflowId: 'greeting-1', args: ['cluster'] }));
      expect(result).toBe('hello, cluster');
    } finally {
      await connection.close();
      await workerConnection.close();
    }

    // Stopped and started again: the schema is found set up, the namespace found, the run kept.
    await cluster.stop();
    cluster = await start();
    const again = await Connection.connect({ address: cluster.address });
    try {
      const handle = new Client({ connection: again }).workflow.getHandle('greeting-1');
      expect((await handle.describe()).status.name).toBe('COMPLETED');
      expect(await handle.result()).toBe('hello, cluster');
    } finally {
      await again.close();
    }
  }, 180_000);
});

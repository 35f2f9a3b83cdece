/**
 * The baseline worker, a process of its own like the platform's: runs `bareWorkflow` (one no-op
 * activity) on the task queue "bare". Address from BENCH_TEMPORAL_ADDRESS.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';

Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
const connection = await NativeConnection.connect({ address: process.env.BENCH_TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
const worker = await Worker.create({
  connection,
  taskQueue: 'bare',
  workflowsPath: fileURLToPath(new URL('./bare-workflow.js', import.meta.url)),
  activities: { noop: async (input: string) => input },
});
console.log('bare worker ready');
process.once('SIGTERM', () => worker.shutdown());
await worker.run();
await connection.close();

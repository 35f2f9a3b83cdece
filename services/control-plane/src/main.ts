import { createOrm, migrate } from '@mctb/db';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { onShutdown, startHttpServer } from '@mctb/service-kit';
import { createControlPlaneApp } from './app.js';
import { controlPlaneEnv } from './env.js';

const env = controlPlaneEnv();
const orm = await createOrm(env.DATABASE_URL);
// Every service may migrate on start; an advisory lock lets one do it while the others wait.
if (env.DB_MIGRATE_ON_START) await migrate(orm);
const app = createControlPlaneApp({ orm, plugins: firstPartyPlugins() });
const server = await startHttpServer(app, { port: env.CONTROL_PLANE_PORT, host: env.CONTROL_PLANE_HOST });
console.log(`[control-plane] GraphQL at ${server.url}/graphql`);
// Stop taking requests first, then release the database pool the in-flight ones were using.
onShutdown('control-plane', [() => server.close(), () => orm.close()]);

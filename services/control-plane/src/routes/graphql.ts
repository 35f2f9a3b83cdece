import type { ManualMessageSender, ProviderAccounts, ProvisioningStarter, TaggedRunStarter } from '@mctb/control';
import { AutomationStore, type Orm } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import type { Logger } from '@mctb/service-kit';
import { renderGraphiQL, shouldRenderGraphiQL } from 'graphql-yoga';
import { Hono } from 'hono';
import { createGraphQLContext } from '../graphql/context.js';
import { createGraphQLServer } from '../graphql/server.js';
import { apiKeyAuth, type ApiKeyAuthEnv } from '../middleware/api-key-auth/index.js';

export interface GraphQLRoutesOptions {
  orm: Orm;
  plugins: PluginRegistry;
  log?: Logger;
  taggedRuns?: TaggedRunStarter;
  provisioningRuns?: ProvisioningStarter;
  manualMessages?: ManualMessageSender;
  providerAccounts: ProviderAccounts;
  allowPrivatePluginUrls: boolean;
}

const GRAPHIQL = renderGraphiQL({
  title: 'MCTB control plane',
  // The page is public; every operation it sends still needs a key, so prompt for one.
  headers: JSON.stringify({ Authorization: 'Bearer <api key>' }, null, 2),
  defaultQuery: '{\n  viewer {\n    agency { id name }\n    subAccountScoped\n  }\n  subAccounts { id name timeZone }\n}\n',
});

/** /graphql: GraphiQL for a browser, JSON over GET or POST for clients (with an API key). */
export function graphqlRoutes(options: GraphQLRoutesOptions): Hono<ApiKeyAuthEnv> {
  const yoga = createGraphQLServer({ log: options.log });
  const automations = new AutomationStore(options.orm);
  const app = new Hono<ApiKeyAuthEnv>();
  app.get('/graphql', async (c, next) => (shouldRenderGraphiQL(c.req.raw) ? c.html(GRAPHIQL) : next()));
  app.use('/graphql', apiKeyAuth({ orm: options.orm }));
  app.on(['GET', 'POST'], '/graphql', (c) =>
    yoga.fetch(c.req.raw, createGraphQLContext({ em: c.var.em, viewer: c.var.viewer, plugins: options.plugins, automations, providerAccounts: options.providerAccounts, allowPrivatePluginUrls: options.allowPrivatePluginUrls, ...(options.taggedRuns ? { taggedRuns: options.taggedRuns } : {}), ...(options.provisioningRuns ? { provisioningRuns: options.provisioningRuns } : {}), ...(options.manualMessages ? { manualMessages: options.manualMessages } : {}) })),
  );
  return app;
}

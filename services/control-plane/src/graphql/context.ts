import type { ManualMessageSender, ProviderAccounts, ProvisioningStarter, TaggedRunStarter } from '@mctb/control';
import type { AutomationStore, EntityManager } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { initContextCache } from '@pothos/core';
import type { Viewer } from '../middleware/api-key-auth/index.js';

export type { Viewer };

/** What every resolver gets. Built once per HTTP request, after the API key was checked. */
export interface GraphQLContext {
  /** This request's own fork: its identity map and dataloaders die with the request. */
  em: EntityManager;
  viewer: Viewer;
  plugins: PluginRegistry;
  /** Automation runs, steps and tasks (plain SQL on the ORM's pool, shared by all requests). */
  automations: AutomationStore;
  /** Starts the automations on tags a contact is given; absent when no Temporal cluster is configured. */
  taggedRuns?: TaggedRunStarter;
  /** Starts provisioning runs' workflows; absent when no Temporal cluster is configured. */
  provisioningRuns?: ProvisioningStarter;
  /** Sends test messages and team replies (manualMessageWorkflow); absent when no Temporal cluster is configured. */
  manualMessages?: ManualMessageSender;
  /** The Twilio accounts numbers are claimed and checked through. */
  providerAccounts: ProviderAccounts;
  /** Development mode: remote plugins may be published at private or loopback addresses. */
  allowPrivatePluginUrls: boolean;
}

export function createGraphQLContext(init: GraphQLContext): GraphQLContext {
  // Pothos keys its per-request caches (dataloaders, auth scopes) on this object; initContextCache
  // keeps them when the server copies the context into its own.
  return { ...initContextCache(), ...init };
}

import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Agency } from './agency.js';

/**
 * A plugin in the marketplace. First-party plugins belong to no agency and every agency sees them;
 * an agency's own plugins are private to it. The id is the plugin's for good: one owner.
 */
export class MarketplacePlugin {
  id: string;
  /** Null for first-party plugins, published by the platform at start. */
  agency: Agency | null;
  /** Remote plugins verify our requests with it (X-Mctb-Signature); null for built-in ones. */
  signingSecret: string | null;
  createdAt: Date = new Date();

  constructor(id: string, agency: Agency | null, signingSecret: string | null) {
    this.id = id;
    this.agency = agency;
    this.signingSecret = signingSecret;
  }
}

export const MarketplacePluginSchema = new EntitySchema<MarketplacePlugin>({
  class: MarketplacePlugin,
  tableName: 'plugins',
  properties: {
    id: { type: 'text', primary: true },
    agency: { kind: 'm:1', entity: () => Agency, nullable: true, deleteRule: 'cascade' },
    signingSecret: { type: 'text', nullable: true },
    createdAt: { type: 'datetime' },
  },
});

/** One published release of a plugin: its manifest, as data (see @mctb/plugin-sdk PublishedManifest). */
export class PluginVersion {
  id: string = randomUUID();
  plugin: MarketplacePlugin;
  version: string;
  manifest: Record<string, unknown>;
  /** Withdrawn by its author: installations keep it, nothing new resolves to it. */
  yanked = false;
  publishedAt: Date = new Date();
  /** The API key that published it; null for first-party releases. */
  publishedBy: string | null;

  constructor(plugin: MarketplacePlugin, version: string, manifest: Record<string, unknown>, publishedBy: string | null) {
    this.plugin = plugin;
    this.version = version;
    this.manifest = manifest;
    this.publishedBy = publishedBy;
  }
}

export const PluginVersionSchema = new EntitySchema<PluginVersion>({
  class: PluginVersion,
  tableName: 'plugin_versions',
  uniques: [{ properties: ['plugin', 'version'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    plugin: { kind: 'm:1', entity: () => MarketplacePlugin, deleteRule: 'cascade' },
    version: { type: 'text' },
    manifest: { type: 'json' },
    yanked: { type: 'boolean', default: false },
    publishedAt: { type: 'datetime' },
    publishedBy: { type: 'text', nullable: true },
  },
});

export type PluginDeliveryOutcome = 'ok' | 'vetoed' | 'reclassified' | 'retrying' | 'failed_open' | 'failed_closed' | 'failed';

/**
 * One attempt to call a plugin (a hook or a step), so an agency can see why a text was vetoed or a
 * step failed: which plugin, what it answered, how long it took. Written by the worker only.
 */
export class PluginDelivery {
  id: string = randomUUID();
  deliveryId: string;
  attempt: number;
  subAccountId: string;
  pluginId: string;
  pluginVersion: string;
  kind: 'hook' | 'step';
  /** The hook's or step's name. */
  name: string;
  callSid: string | null;
  httpStatus: number | null;
  latencyMs: number;
  outcome: PluginDeliveryOutcome;
  detail: string;
  createdAt: Date = new Date();

  constructor(init: Omit<PluginDelivery, 'id' | 'createdAt'>) {
    this.deliveryId = init.deliveryId;
    this.attempt = init.attempt;
    this.subAccountId = init.subAccountId;
    this.pluginId = init.pluginId;
    this.pluginVersion = init.pluginVersion;
    this.kind = init.kind;
    this.name = init.name;
    this.callSid = init.callSid;
    this.httpStatus = init.httpStatus;
    this.latencyMs = init.latencyMs;
    this.outcome = init.outcome;
    this.detail = init.detail;
  }
}

export const PluginDeliverySchema = new EntitySchema<PluginDelivery>({
  class: PluginDelivery,
  tableName: 'plugin_deliveries',
  uniques: [{ properties: ['deliveryId', 'attempt'] }],
  indexes: [{ properties: ['subAccountId', 'createdAt'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    deliveryId: { type: 'text' },
    attempt: { type: 'integer' },
    subAccountId: { type: 'uuid' },
    pluginId: { type: 'text' },
    pluginVersion: { type: 'text' },
    kind: { type: 'text' },
    name: { type: 'text' },
    callSid: { type: 'text', nullable: true },
    httpStatus: { type: 'integer', nullable: true },
    latencyMs: { type: 'integer' },
    outcome: { type: 'text' },
    detail: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
});

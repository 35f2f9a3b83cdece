import type { AnyPlugin } from './plugin.js';

/** The plugins this deployment knows, by id. */
export class PluginRegistry {
  private readonly byId = new Map<string, AnyPlugin>();

  constructor(plugins: readonly AnyPlugin[]) {
    for (const plugin of plugins) {
      if (this.byId.has(plugin.manifest.id)) throw new Error(`plugin "${plugin.manifest.id}" is registered twice`);
      this.byId.set(plugin.manifest.id, plugin);
    }
  }

  get(id: string): AnyPlugin | undefined {
    return this.byId.get(id);
  }

  list(): AnyPlugin[] {
    return [...this.byId.values()];
  }
}

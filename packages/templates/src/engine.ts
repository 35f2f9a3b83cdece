import { Liquid, type Template } from 'liquidjs';

/** Longest template source we parse; SMS templates are a few hundred characters. */
export const MAX_TEMPLATE_SOURCE_LENGTH = 10_000;
/** Wall-clock budget for one render, so a looping template cannot stall a worker. */
export const RENDER_TIME_LIMIT_MS = 100;
/** Liquid's allocation budget per render (string and array growth), far above any real SMS. */
const RENDER_MEMORY_LIMIT = 1_000_000;
/** Parsed templates kept in memory; an account only has a handful, rendered on every missed call. */
const PARSE_CACHE_SIZE = 500;

/** Tags that read other template files. Templates are stored as text, so these can only leak or fail. */
export const FILE_TAGS = ['include', 'render', 'layout'] as const;

function createSandboxedLiquid(): Liquid {
  const liquid = new Liquid({
    // An empty in-memory store instead of the file system: nothing can be read from disk.
    templates: {},
    relativeReference: false,
    ownPropertyOnly: true,
    strictFilters: true,
    parseLimit: MAX_TEMPLATE_SOURCE_LENGTH,
    renderLimit: RENDER_TIME_LIMIT_MS,
    memoryLimit: RENDER_MEMORY_LIMIT,
  });
  for (const name of FILE_TAGS) {
    // Replacing the tag makes the parser reject it with its position, before any lookup happens.
    liquid.registerTag(name, {
      parse() {
        throw new Error(`the "${name}" tag is not allowed: message templates cannot load other files`);
      },
      render() {
        return '';
      },
    });
  }
  return liquid;
}

export const liquid = createSandboxedLiquid();

const parsed = new Map<string, Template[]>();

/** Parses with a bounded LRU cache keyed by source. Throws liquidjs errors for bad syntax (never cached). */
export function parseCached(source: string): Template[] {
  const hit = parsed.get(source);
  if (hit) {
    // Re-insert to mark as most recently used (Map keeps insertion order).
    parsed.delete(source);
    parsed.set(source, hit);
    return hit;
  }
  const templates = liquid.parse(source);
  parsed.set(source, templates);
  if (parsed.size > PARSE_CACHE_SIZE) {
    const oldest = parsed.keys().next();
    if (!oldest.done) parsed.delete(oldest.value);
  }
  return templates;
}

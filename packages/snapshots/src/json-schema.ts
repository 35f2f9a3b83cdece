import * as z from 'zod';
import { editorShapeOf } from './editor-shapes.js';
import { snapshotSchema } from './schema.js';
import { snapshotSchemaV2 } from './schema-v2.js';

type JsonSchema = z.core.JSONSchema.BaseSchema;

/** Where the committed file lives, relative to the repository root; starters point at it. */
export const SNAPSHOT_JSON_SCHEMA_PATH = 'snapshots/snapshot.schema.json';

/** The committed file's exact text, so a test can tell when it no longer matches the zod schemas. */
export function snapshotJsonSchemaText(): string {
  return `${JSON.stringify(snapshotJsonSchema(), null, 2)}\n`;
}

/**
 * The JSON Schema of a snapshot file (v1 or v2), generated from the zod schemas that validate it, for
 * editors (`# yaml-language-server: $schema=./snapshot.schema.json`): completion, hover text and the
 * shape checks. It describes the input side of every transform. It can't say everything the import
 * checks (template merge fields, references between keys, nesting limits, plugin configs): `mctb
 * snapshot validate` does. Draft-07, which editors and validators support best.
 */
export function snapshotJsonSchema(): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const pending = new Map<string, () => z.ZodType>();
  const convert = (schema: z.ZodType): JsonSchema => {
    const converted = z.toJSONSchema(schema, {
      target: 'draft-07',
      io: 'input',
      reused: 'inline',
      // A registered shape stands in for what zod can't describe (a transform of unknown).
      override: ({ zodSchema, jsonSchema }) => {
        const shape = editorShapeOf(zodSchema);
        if (!shape) return;
        if (!(shape.name in definitions) && !pending.has(shape.name)) pending.set(shape.name, shape.shape);
        for (const key of Object.keys(jsonSchema)) if (key !== 'description' && key !== 'title') delete jsonSchema[key];
        jsonSchema.$ref = `#/definitions/${shape.name}`;
      },
    });
    delete converted.$schema;
    return converted;
  };

  const root = convert(
    z
      .discriminatedUnion('apiVersion', [snapshotSchema, snapshotSchemaV2])
      .meta({ title: 'mctb snapshot', description: 'A snapshot: templates, custom values and automations provisioned into sub-accounts.' }),
  );
  // Shapes found while converting name further shapes (a step holds conditions and steps).
  for (let next = pending.entries().next(); !next.done; next = pending.entries().next()) {
    const [name, shape] = next.value;
    pending.delete(name);
    definitions[name] = {};
    definitions[name] = convert(shape());
  }
  const document: JsonSchema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...root,
    definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))),
  };
  return foldDescribedRefs(document, definitions) as JsonSchema;
}

const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples']);

/**
 * zod writes a described use of a shared shape as `{ description, allOf: [{ $ref }] }`. Editors show
 * the innermost description on hover, so the use's own words ("0s..24h, default 60s") would be
 * hidden by the shape's; as `{ description, $ref }` with both texts, editors show both (draft-07
 * validators ignore a $ref's siblings, and these are annotations only).
 */
function foldDescribedRefs(node: unknown, definitions: Record<string, JsonSchema>): unknown {
  if (Array.isArray(node)) return node.map((item) => foldDescribedRefs(item, definitions));
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, foldDescribedRefs(value, definitions)] as const);
  const folded: Record<string, unknown> = Object.fromEntries(entries);
  const allOf = folded.allOf;
  const only = Array.isArray(allOf) && allOf.length === 1 ? (allOf[0] as Record<string, unknown>) : undefined;
  const ref = only && Object.keys(only).length === 1 && typeof only.$ref === 'string' ? only.$ref : undefined;
  if (!ref || !Object.keys(folded).every((key) => key === 'allOf' || ANNOTATIONS.has(key))) return folded;
  const shape = definitions[ref.replace('#/definitions/', '')];
  const { allOf: _allOf, ...annotations } = folded;
  const description = [annotations.description, shape?.description].filter((text) => typeof text === 'string').join(' ');
  return { ...annotations, ...(description ? { description } : {}), $ref: ref };
}

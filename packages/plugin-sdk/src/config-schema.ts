import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Plugin configs and step settings are checked against the JSON Schema in the plugin's manifest,
 * the same way for first-party and remote plugins. Compiled validators are kept per schema text.
 */
const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true });
(addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
const compiled = new Map<string, ValidateFunction>();

export interface SchemaProblem {
  /** Dotted path inside the value, '' for the value itself. */
  path: string;
  message: string;
}

/** Compiles a schema, or says why it can't be (for a manifest being published). */
export function jsonSchemaError(schema: Record<string, unknown>): string | null {
  try {
    validatorFor(schema);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Checks a value against a schema; the value is not changed (defaults are applied to a copy,
 * returned as `value`). Every problem names its path.
 */
export function checkAgainstSchema(schema: Record<string, unknown>, value: unknown): { ok: true; value: Record<string, unknown> } | { ok: false; problems: SchemaProblem[] } {
  const validate = validatorFor(schema);
  const copy = structuredClone(value ?? {}) as Record<string, unknown>;
  if (validate(copy)) return { ok: true, value: copy };
  return { ok: false, problems: (validate.errors ?? []).map(problemOf) };
}

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    const { $schema: _dialect, $id: _id, ...rest } = schema;
    validate = ajv.compile(rest);
    if (compiled.size > 1_000) compiled.clear();
    compiled.set(key, validate);
  }
  return validate;
}

function problemOf(error: ErrorObject): SchemaProblem {
  const at = error.instancePath.split('/').slice(1).map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return { path: [...at, String(params.missingProperty)].join('.'), message: 'is required' };
  if (error.keyword === 'additionalProperties') {
    return { path: [...at, String(params.additionalProperty)].join('.'), message: 'is not a setting this plugin has' };
  }
  return { path: at.join('.'), message: error.message ?? 'is invalid' };
}

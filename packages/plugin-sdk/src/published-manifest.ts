import { z } from 'zod';
import { CALL_OUTCOMES } from '@mctb/domain';
import { PLUGIN_PERMISSIONS, type PluginPermission } from './manifest.js';

/** The hooks a plugin may implement (DESIGN §6). */
export const HOOK_NAMES = ['call.completed', 'textback.beforeSend', 'textback.sent', 'message.received', 'subaccount.provisioned'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** Hooks whose answer decides what happens next; the others only tell the plugin what happened. */
export const DECISION_HOOKS: readonly HookName[] = ['call.completed', 'textback.beforeSend'];

/** What a plugin must be granted to receive a hook. */
export const HOOK_PERMISSION: Record<HookName, PluginPermission> = {
  'call.completed': 'calls:read',
  'textback.beforeSend': 'textback:veto',
  'textback.sent': 'messages:read',
  'message.received': 'messages:read',
  'subaccount.provisioned': 'subaccounts:read',
};

export const MAX_HOOK_TIMEOUT_MS = 30_000;
export const MAX_RETRIES = 10;

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const STEP_NAME = /^[a-z][a-z0-9_]*$/;
/** Semantic versions (semver.org): MAJOR.MINOR.PATCH with an optional pre-release. */
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

const jsonSchemaObject = z
  .record(z.string(), z.unknown())
  .refine((schema) => schema.type === undefined || schema.type === 'object', 'must describe an object ("type": "object")')
  .meta({ description: 'A JSON Schema (draft 2020-12 or 07) for an object.' });

const timeoutMs = z.int('must be a whole number of milliseconds').min(100, 'must be at least 100 ms').max(MAX_HOOK_TIMEOUT_MS, `must be at most ${MAX_HOOK_TIMEOUT_MS} ms`);
const retries = z.int('must be a whole number').min(0, 'must be 0 or more').max(MAX_RETRIES, `must be at most ${MAX_RETRIES}`);

/** How the host calls one hook: its time budget, what a failure means, how often it is retried. */
export const hookPolicySchema = z.strictObject({
  timeoutMs: timeoutMs.default(5_000),
  /** "open": a failure counts as no opinion; "closed": a failure vetoes (decision hooks only). */
  failurePolicy: z.enum(['open', 'closed']).default('open'),
  /** Further attempts after a failed one, with backoff; every attempt carries the same idempotency key. */
  retries: retries.optional(),
});
export type HookPolicy = z.output<typeof hookPolicySchema> & { retries: number };

export const stepDeclarationSchema = z.strictObject({
  description: z.string().max(500).default(''),
  /** Checks the step's `with:` settings at snapshot import. */
  configSchema: jsonSchemaObject.default({ type: 'object' }),
  timeoutMs: timeoutMs.default(10_000),
  retries: retries.default(2),
});
export type StepDeclaration = z.output<typeof stepDeclarationSchema>;

export const runtimeSchema = z.discriminatedUnion('kind', [
  /** Shipped with the platform and run in the worker (first party only). */
  z.strictObject({ kind: z.literal('builtin') }),
  /** Hooks and steps are signed HTTPS POSTs to this URL (DESIGN §6). */
  z.strictObject({ kind: z.literal('remote'), url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }) }),
]);

/** A plugin release as published to the marketplace: plain data, stored per version. */
export const publishedManifestSchema = z
  .strictObject({
    id: z.string().regex(ID, 'must be lowercase words joined by dashes, e.g. "spam-guard"').max(64),
    name: z.string().trim().min(1, 'is empty').max(100),
    version: z.string().regex(SEMVER, 'must be a semantic version like 1.2.3'),
    description: z.string().max(2_000).default(''),
    author: z.string().trim().min(1, 'is empty').max(200),
    permissions: z.array(z.enum(PLUGIN_PERMISSIONS)).default([]),
    configSchema: jsonSchemaObject.default({ type: 'object' }),
    runtime: runtimeSchema,
    hooks: z.partialRecord(z.enum(HOOK_NAMES), hookPolicySchema).default({}),
    steps: z.record(z.string().regex(STEP_NAME, 'step names are lowercase words joined by underscores'), stepDeclarationSchema).default({}),
  })
  .superRefine((manifest, context) => {
    for (const hook of Object.keys(manifest.hooks) as HookName[]) {
      const needed = HOOK_PERMISSION[hook];
      if (!manifest.permissions.includes(needed)) {
        context.addIssue({ code: 'custom', path: ['hooks', hook], message: `needs the "${needed}" permission` });
      }
      if (manifest.hooks[hook]!.failurePolicy === 'closed' && !DECISION_HOOKS.includes(hook)) {
        context.addIssue({ code: 'custom', path: ['hooks', hook, 'failurePolicy'], message: `"closed" applies only to ${DECISION_HOOKS.join(' and ')}` });
      }
    }
  });

export type PublishedManifestInput = z.input<typeof publishedManifestSchema>;
export type PublishedManifest = Omit<z.output<typeof publishedManifestSchema>, 'hooks'> & {
  hooks: Partial<Record<HookName, HookPolicy>>;
};

/** Decision hooks are on a text's path: no retry unless declared. The others retry 3 times by default. */
export function hookPolicy(manifest: { hooks: Partial<Record<HookName, { timeoutMs: number; failurePolicy: 'open' | 'closed'; retries?: number | undefined }>> }, hook: HookName): HookPolicy | undefined {
  const policy = manifest.hooks[hook];
  if (!policy) return undefined;
  return { ...policy, retries: policy.retries ?? (DECISION_HOOKS.includes(hook) ? 0 : 3) };
}

export type ManifestResult = { ok: true; manifest: PublishedManifest } | { ok: false; issues: { path: string; message: string }[] };

/** Parses a manifest as published, with every problem at its path (e.g. `hooks.textback.sent.timeoutMs`). */
export function parsePublishedManifest(raw: unknown): ManifestResult {
  const result = publishedManifestSchema.safeParse(raw);
  if (!result.success) {
    return { ok: false, issues: result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })) };
  }
  const manifest = result.data;
  const hooks: Partial<Record<HookName, HookPolicy>> = {};
  for (const hook of Object.keys(manifest.hooks) as HookName[]) hooks[hook] = hookPolicy(manifest, hook);
  return { ok: true, manifest: { ...manifest, hooks } };
}

/** Outcomes a `call.completed` hook may give a call. */
export const RECLASSIFIABLE_OUTCOMES = CALL_OUTCOMES;

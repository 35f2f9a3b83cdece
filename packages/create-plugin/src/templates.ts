/** The versions a new plugin pins: the ones this repository builds and tests with (checked by a test). */
export const PINNED_VERSIONS = {
  zod: '4.6.7',
  typescript: '5.9.3',
  vitest: '4.1.12',
  '@types/node': '20.19.43',
} as const;

export interface TemplateValues {
  id: string;
  name: string;
  author: string;
  description: string;
  packageName: string;
  /** The dependency spec for @mctb/plugin-sdk and @mctb/plugin-testkit ("workspace:*" inside this repository). */
  sdkVersion: string;
}

/** "my-plugin" → "MY_PLUGIN_SIGNING_SECRET". */
export function secretVariableOf(id: string): string {
  return `${id.toUpperCase().replaceAll('-', '_')}_SIGNING_SECRET`;
}

/** A TypeScript string literal (JSON's quoting is valid TypeScript). */
const literal = (text: string) => JSON.stringify(text);

function packageJson(values: TemplateValues): string {
  const manifest = {
    name: values.packageName,
    version: '0.1.0',
    private: true,
    description: values.description,
    type: 'module',
    bin: { [values.id]: './dist/main.js' },
    scripts: {
      build: 'tsc -p .',
      test: 'vitest run',
      start: 'node dist/main.js',
      manifest: 'node dist/main.js --print-manifest',
    },
    dependencies: { '@mctb/plugin-sdk': values.sdkVersion, zod: PINNED_VERSIONS.zod },
    devDependencies: {
      '@mctb/plugin-testkit': values.sdkVersion,
      '@types/node': PINNED_VERSIONS['@types/node'],
      typescript: PINNED_VERSIONS.typescript,
      vitest: PINNED_VERSIONS.vitest,
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function tsconfigJson(): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      isolatedModules: true,
      verbatimModuleSyntax: true,
      esModuleInterop: true,
      skipLibCheck: true,
      composite: true,
      declaration: true,
      sourceMap: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
    },
    include: ['src'],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

function pluginTs(values: TemplateValues): string {
  return `import { definePlugin, StepFailure } from '@mctb/plugin-sdk';
import { z } from 'zod';

const phoneNumber = z.string().regex(/^\\+[1-9]\\d{6,14}$/, 'must be a phone number in E.164 form, like +15125550199');

/** An installation's settings: the platform checks them against this schema when an agency installs the plugin. */
export const configSchema = z.strictObject({
  /** Callers who never get a text-back. */
  quietNumbers: z.array(phoneNumber, 'must be a list of phone numbers').default([]),
  /** How the greet_caller step greets. */
  greeting: z.string().trim().min(1, 'is empty').max(160).default('Hello'),
});
export type Config = z.output<typeof configSchema>;

/** The greet_caller step's \`with:\` settings in a snapshot. */
export const greetSettingsSchema = z.strictObject({
  /** Overrides the installation's greeting for this step. */
  greeting: z.string().trim().min(1, 'is empty').max(160).optional(),
});

export const plugin = definePlugin<Config>({
  manifest: {
    id: ${literal(values.id)},
    name: ${literal(values.name)},
    version: '0.1.0',
    description: ${literal(values.description)},
    author: ${literal(values.author)},
    // One permission per hook (textback.beforeSend needs textback:veto); agencies see them before installing.
    permissions: ['textback:veto'],
    configSchema,
    // If the plugin is down or slow, the text goes out as if it had no opinion.
    failurePolicy: 'open',
    hookPolicies: { 'textback.beforeSend': { timeoutMs: 2_000 } },
    steps: {
      greet_caller: {
        description: 'Greets the caller in the run\\'s journal.',
        configSchema: greetSettingsSchema,
        timeoutMs: 5_000,
      },
    },
  },
  hooks: {
    async 'textback.beforeSend'({ call }, { config }) {
      if (call.from !== null && config.quietNumbers.includes(call.from)) {
        return { veto: true, reason: \`${values.id}: \${call.from} asked not to be texted\` };
      }
      return { veto: false };
    },
  },
  steps: {
    async greet_caller(input, { config }) {
      const settings = greetSettingsSchema.safeParse(input.with);
      // A StepFailure fails the step at once: retrying can't fix its settings.
      if (!settings.success) throw new StepFailure(\`greet_caller: \${settings.error.issues.map((issue) => issue.message).join('; ')}\`);
      const greeting = settings.data.greeting ?? config.greeting;
      return { summary: \`\${greeting}, \${input.contact.phone}\`, output: { greeting } };
    },
  },
});
`;
}

function mainTs(values: TemplateValues): string {
  return `#!/usr/bin/env node
/**
 * Serves the plugin (remote runtime):
 *   ${secretVariableOf(values.id)}=whsec_… PORT=8080 node dist/main.js    prints {"url": "…"} once listening
 *   node dist/main.js --print-manifest https://<where-it-runs>/           the manifest to publish
 */
import { runPluginMain } from '@mctb/plugin-sdk';
import { plugin } from './plugin.js';

const { exitCode } = await runPluginMain(plugin, {
  secretVariable: ${literal(secretVariableOf(values.id))},
  argv: process.argv.slice(2),
  // eslint-disable-next-line no-restricted-properties -- the plugin's server reads its settings from its environment
  env: process.env,
});
process.exitCode = exitCode;
`;
}

function pluginTestTs(values: TemplateValues): string {
  return `import { StepFailure } from '@mctb/plugin-sdk';
import { beforeSendFixture, InvalidConfigError, invokeHook, invokeStep, startPluginServer, stepInputFixture } from '@mctb/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { plugin } from './plugin.js';

const config = { quietNumbers: ['+15125550199'] };

describe(${literal(values.id)}, () => {
  it('vetoes the text-back to a quiet number and lets other callers be texted', async () => {
    expect(await invokeHook(plugin, 'textback.beforeSend', beforeSendFixture({ call: { from: '+15125550199' } }), { config })).toEqual({
      veto: true,
      reason: ${literal(`${values.id}: +15125550199 asked not to be texted`)},
    });
    expect(await invokeHook(plugin, 'textback.beforeSend', beforeSendFixture({ call: { from: '+15125550123' } }), { config })).toEqual({ veto: false });
    expect(await invokeHook(plugin, 'textback.beforeSend', beforeSendFixture({ call: { from: null } }), { config })).toEqual({ veto: false });
  });

  it('refuses a config outside its schema, as the platform does', async () => {
    await expect(invokeHook(plugin, 'textback.beforeSend', beforeSendFixture(), { config: { quietNumbers: ['555-0199'] } })).rejects.toThrow(InvalidConfigError);
  });

  it('greets the caller in the greet_caller step, and fails it on bad settings', async () => {
    expect(await invokeStep(plugin, 'greet_caller', stepInputFixture(), { config })).toEqual({ summary: 'Hello, +15125550123', output: { greeting: 'Hello' } });
    expect(await invokeStep(plugin, 'greet_caller', stepInputFixture({ with: { greeting: 'Hi there' } }), { config })).toMatchObject({ summary: 'Hi there, +15125550123' });
    await expect(invokeStep(plugin, 'greet_caller', stepInputFixture({ with: { greeting: '' } }), { config })).rejects.toThrow(StepFailure);
  });

  it('answers signed requests end to end, as the platform sends them', async () => {
    const server = await startPluginServer(plugin);
    try {
      const event = beforeSendFixture({ call: { from: '+15125550199' } });
      const answer = await server.deliver({ type: 'hook', hook: 'textback.beforeSend', event, config });
      expect(answer).toMatchObject({ status: 200, body: { veto: true } });
      // A retry of the same delivery gets the same answer without running the hook again.
      expect(await server.deliver({ ...answer.sent, attempt: 2 })).toMatchObject({ status: 200, body: answer.body, replayed: true });
      expect((await server.deliver({ type: 'hook', hook: 'textback.beforeSend', event, config }, { secret: 'whsec_not_ours' })).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
`;
}

function readme(values: TemplateValues): string {
  const secret = secretVariableOf(values.id);
  return `# ${values.name}

${values.description}

A remote mctb plugin (id \`${values.id}\`), made with \`create-mctb-plugin\`. The plugin is in
\`src/plugin.ts\`: its manifest (config schema, permissions, hook policies), the
\`textback.beforeSend\` hook (no text-back to the numbers in \`quietNumbers\`) and the
\`greet_caller\` workflow step. See the SDK's guide (\`packages/plugin-sdk/README.md\` in the mctb
repository) for every hook, the wire contract and publishing.

## Develop

\`\`\`sh
pnpm install          # links @mctb/plugin-sdk and @mctb/plugin-testkit
pnpm test             # src/plugin.test.ts, with @mctb/plugin-testkit
pnpm run build        # dist/
\`\`\`

## Run

\`\`\`sh
${secret}=whsec_… PORT=8080 HOST=0.0.0.0 node dist/main.js   # prints {"url":"http://0.0.0.0:8080/"}
\`\`\`

Put it behind HTTPS. The secret is the one the marketplace returns when the plugin is first published.

## Publish

\`\`\`sh
node dist/main.js --print-manifest https://${values.id}.example.com/ > manifest.json
\`\`\`

then send that JSON to the control plane's \`publishPlugin\` mutation:
\`mutation { publishPlugin(input: { manifest: … }) { … } }\`. Bump \`version\` in \`src/plugin.ts\`
for every release.
`;
}

function vitestConfig(): string {
  return `import { defineConfig } from 'vitest/config';

// The plugin's own settings: \`vitest run\` here doesn't take an enclosing repository's config.
export default defineConfig({ test: { include: ['src/**/*.test.ts'] } });
`;
}

/** The files of a new plugin package, by path inside its directory. */
export function pluginFiles(values: TemplateValues): Record<string, string> {
  return {
    'package.json': packageJson(values),
    'tsconfig.json': tsconfigJson(),
    'vitest.config.ts': vitestConfig(),
    'README.md': readme(values),
    'src/plugin.ts': pluginTs(values),
    'src/main.ts': mainTs(values),
    'src/plugin.test.ts': pluginTestTs(values),
  };
}

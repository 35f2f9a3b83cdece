import { relative } from 'node:path';
import { Command, CommanderError } from 'commander';
import { EXIT_OK, EXIT_USAGE, scaffoldPlugin, ScaffoldError } from './scaffold.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

interface Options {
  dir?: string;
  name?: string;
  author?: string;
  description?: string;
  packageName?: string;
  sdkVersion?: string;
}

/**
 * Runs `create-mctb-plugin` with these arguments (without node and the script) and returns the exit
 * code: 0 written, 1 refused (a non-empty directory), 2 a wrong command line (a bad id, an unknown option).
 */
export async function runCreatePlugin(argv: string[], io: Io, cwd = process.cwd()): Promise<number> {
  const program = new Command('create-mctb-plugin')
    .description('Scaffolds a mctb plugin package: a manifest with a config schema, a hook, a workflow step, a server, tests and a README.')
    .argument('<id>', 'the plugin id: lowercase words joined by dashes, e.g. "spam-guard"')
    .option('--dir <dir>', 'where to write it, empty or missing (default: plugins/<id>)')
    .option('--name <name>', 'the display name (default: from the id)')
    .option('--author <author>', 'the author shown in the marketplace')
    .option('--description <text>', 'one line for the marketplace')
    .option('--package-name <name>', 'the npm package name (default: mctb-plugin-<id>)')
    .option('--sdk-version <spec>', 'how it depends on @mctb/plugin-sdk and @mctb/plugin-testkit', 'workspace:*')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .exitOverride()
    .action(async (id: string, options: Options) => {
      const made = await scaffoldPlugin({ id, cwd, ...options });
      const shown = relative(cwd, made.dir) || '.';
      io.out(`Created plugin "${id}" in ${shown}: ${made.files.join(', ')}`);
      io.out('');
      const steps: [string, string][] = [
        ['pnpm install', 'links @mctb/plugin-sdk and @mctb/plugin-testkit'],
        [`cd ${shown} && pnpm test`, 'its tests, with @mctb/plugin-testkit'],
        [`cd ${shown} && pnpm run build`, `or add "${shown}" to the root tsconfig.json references (in the mctb repository)`],
        [`${made.secretVariable}=whsec_… PORT=8080 node ${shown}/dist/main.js`, 'serve it'],
      ];
      const width = Math.max(...steps.map(([command]) => command.length));
      io.out('Next:');
      for (const [command, why] of steps) io.out(`  ${command.padEnd(width)}  # ${why}`);
    });
  try {
    // `pnpm run create-plugin -- <id>` passes the "--" on (npm drops it): the same command either way.
    await program.parseAsync(argv[0] === '--' ? argv.slice(1) : argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.help' ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof ScaffoldError) {
      io.err(`create-mctb-plugin: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}

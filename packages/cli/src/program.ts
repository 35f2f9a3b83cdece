import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { diffSnapshot } from './commands/snapshot-diff.js';
import { listDeployments } from './commands/deployments.js';
import { provision } from './commands/provision.js';
import { pushSnapshot } from './commands/snapshot-push.js';
import { validateSnapshots } from './commands/snapshot-validate.js';
import { CliError, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { graphqlClient, type GraphQLRequest } from './graphql-client.js';
import { graphqlSubscriptions } from './graphql-subscriptions.js';
import type { Io } from './io.js';
import { parseDiffRange, parseVersion } from './snapshot-ref.js';

export const DEFAULT_URL = 'http://127.0.0.1:4000/graphql';

interface GlobalOptions {
  url: string;
  apiKey?: string;
}

/**
 * Runs `mctb` with these arguments (without node and the script) and returns the exit code: 0 done,
 * 1 refused input or failed targets, 2 a wrong command line or an unusable server.
 */
export async function runCli(argv: string[], io: Io): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message (or the help) already.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.err(`mctb: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}

function buildProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('mctb')
    .description('Snapshots as code and provisioning for mctb agencies, over the control plane\'s GraphQL API.')
    .addOption(new Option('--url <url>', 'the control plane\'s GraphQL endpoint').env('MCTB_URL').default(DEFAULT_URL))
    .addOption(new Option('--api-key <key>', 'an agency API key (npm start prints the demo key)').env('MCTB_API_KEY'))
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .exitOverride();

  const server = (command: Command): GraphQLRequest => {
    const options = command.optsWithGlobals<GlobalOptions>();
    return graphqlClient({ url: options.url, apiKey: options.apiKey });
  };
  const subscriptions = (command: Command) => {
    const options = command.optsWithGlobals<GlobalOptions>();
    return graphqlSubscriptions({ url: options.url, apiKey: options.apiKey });
  };
  // Every subcommand inherits the output settings and reports usage errors through runCli.
  const subcommand = (parent: Command, name: string) =>
    parent.command(name).configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) }).exitOverride();

  const snapshot = subcommand(program, 'snapshot').description('validate, push and compare snapshot files');

  subcommand(snapshot, 'validate')
    .description('check snapshot files offline as an import would; prints FILE:LINE:COL path: message for each problem')
    .argument('<files...>', 'snapshot YAML files')
    .action(async (files: string[]) => setExitCode(await validateSnapshots(files, io)));

  subcommand(snapshot, 'push')
    .description('import a snapshot file as a new version (an unchanged file creates none)')
    .argument('<file>', 'snapshot YAML file')
    .action(async (file: string, _options, command: Command) => setExitCode(await pushSnapshot(file, server(command), io)));

  subcommand(snapshot, 'diff')
    .description('what changed between two versions: mctb snapshot diff SLUG FROM TO, or SLUG@FROM..TO')
    .argument('<slug>', 'snapshot slug, or slug@from..to')
    .argument('[from]', 'older version')
    .argument('[to]', 'newer version')
    .action(async (slug: string, from: string | undefined, to: string | undefined, _options, command: Command) => {
      const range = parseDiffRange(slug);
      if (range && from === undefined) return setExitCode(await diffSnapshot(range.slug, range.from, range.to, server(command), io));
      if (range || from === undefined || to === undefined) {
        throw new CliError('give a slug and two versions: mctb snapshot diff SLUG FROM TO, or mctb snapshot diff SLUG@FROM..TO', EXIT_USAGE);
      }
      setExitCode(await diffSnapshot(slug, parseVersion(from), parseVersion(to), server(command), io));
    });

  subcommand(program, 'provision')
    .description('apply a snapshot version to the sub-accounts of a CSV file, with live progress and a result per target')
    .requiredOption('--snapshot <slug[@version]>', 'the snapshot and version (latest when omitted)')
    .requiredOption('--targets <file.csv>', 'one row per target: subAccountId, or name,timeZone,twilioNumber,forwardingNumber[,incomingCallTimeout]; other columns are custom values')
    .option('--idempotency-key <key>', 'names the run; default: a hash of the snapshot version and the CSV, so the same command twice is one run')
    .option('--preview', 'show what each target would change, and change nothing')
    .option('--concurrency <n>', 'targets provisioned at once', positiveInteger)
    .action(async (options: { snapshot: string; targets: string; idempotencyKey?: string; preview?: boolean; concurrency?: number }, command: Command) =>
      setExitCode(await provision(options, server(command), subscriptions(command), io)),
    );

  subcommand(program, 'deployments')
    .description('the sub-accounts running a snapshot, with their version')
    .argument('<slug>', 'snapshot slug')
    .option('--version <n>', 'only this version', positiveInteger)
    .action(async (slug: string, options: { version?: number }, command: Command) =>
      setExitCode(await listDeployments(slug, options.version, server(command), io)),
    );

  return program;
}

function positiveInteger(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new InvalidArgumentError('expected a whole number from 1');
  return Number(text);
}

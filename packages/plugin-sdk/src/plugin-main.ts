import { parseArgs } from 'node:util';
import { publishedManifestOf, type AnyPlugin } from './plugin.js';
import { servePlugin, type RunningPlugin } from './remote-server.js';

export interface PluginMainOptions {
  /** The environment variable holding the signing secret, e.g. "SPAM_GUARD_SIGNING_SECRET". */
  secretVariable: string;
  /** The command line without node and the script (`process.argv.slice(2)`). */
  argv: readonly string[];
  /** Where PORT, HOST and the secret are read (`process.env`). */
  env: Readonly<Record<string, string | undefined>>;
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** Close the server on SIGINT and SIGTERM (default true). */
  handleSignals?: boolean;
}

export type PluginMainResult = { exitCode: number; running?: undefined } | { exitCode: 0; running: RunningPlugin };

/**
 * The `main` of a remote plugin's server:
 *   <bin>                           serves the plugin on HOST:PORT (default 127.0.0.1 and a free port),
 *                                   checking requests with the secret in `secretVariable`, and prints
 *                                   one JSON line {"url": "…"} on stdout once it listens
 *   <bin> --print-manifest <url>    prints the manifest to publish, with runtime {kind: "remote", url}
 * Exit codes: 0 done (or serving), 2 a wrong command line or setting.
 */
export async function runPluginMain(plugin: AnyPlugin, options: PluginMainOptions): Promise<PluginMainResult> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { id } = plugin.manifest;
  const usage = `usage: ${id} [--print-manifest <url>]\n  serves the plugin on HOST:PORT with the signing secret in ${options.secretVariable}`;

  let values: { 'print-manifest'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...options.argv],
      options: { 'print-manifest': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    err(`${id}: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return { exitCode: 2 };
  }
  if (values.help) {
    out(usage);
    return { exitCode: 0 };
  }
  if (values['print-manifest'] !== undefined) {
    try {
      out(JSON.stringify(publishedManifestOf(plugin, { kind: 'remote', url: values['print-manifest'] }), null, 2));
      return { exitCode: 0 };
    } catch (error) {
      err(error instanceof Error ? error.message : String(error));
      return { exitCode: 2 };
    }
  }

  const secret = options.env[options.secretVariable];
  if (!secret) {
    err(`${id}: ${options.secretVariable} is not set: give it the signing secret the marketplace returned when the plugin was published`);
    return { exitCode: 2 };
  }
  const portSetting = options.env.PORT ?? '0';
  const port = Number(portSetting);
  if (!/^\d+$/.test(portSetting) || port > 65_535) {
    err(`${id}: PORT must be a port number (0 takes a free one), got "${portSetting}"`);
    return { exitCode: 2 };
  }
  const host = options.env.HOST || '127.0.0.1';
  let running: RunningPlugin;
  try {
    running = await servePlugin(plugin, { secret, port, host });
  } catch (error) {
    err(`${id}: cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`);
    return { exitCode: 2 };
  }
  if (options.handleSignals !== false) {
    const stop = () => void running.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    running.server.once('close', () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    });
  }
  out(JSON.stringify({ url: running.url }));
  return { exitCode: 0, running };
}

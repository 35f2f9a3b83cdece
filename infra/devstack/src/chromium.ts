import { isExecutable, run } from './exec.js';

/** Debian's Chromium, which the browser tests drive with playwright-core (browsers can't be downloaded here). */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for headless Chromium on a closed network: without the background-networking ones it keeps
 * trying to reach Google's hosts (refused connections, failed look-ups) at every start.
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

let ensured: Promise<string> | undefined;

/**
 * Finds Chromium: $CHROMIUM_PATH, then Debian's /usr/bin/chromium; otherwise installs Debian's `chromium`
 * package once (`apt-get update`, then `apt-get install -y chromium`; needs root, as on CI machines).
 */
export function ensureChromium(log: (message: string) => void = console.log): Promise<string> {
  ensured ??= findOrInstall(log);
  return ensured;
}

async function findOrInstall(log: (message: string) => void): Promise<string> {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) {
    if (!(await isExecutable(explicit))) throw new Error(`CHROMIUM_PATH=${explicit} is not an executable file`);
    return explicit;
  }
  if (await isExecutable(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`No Chromium at ${DEBIAN_CHROMIUM}. Install it with \`sudo apt-get install -y chromium\` or set CHROMIUM_PATH.`);
  }
  log('› installing Debian’s chromium package for the browser tests (once)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = await run('apt-get', ['update', '-qq'], { env });
  if (update.code !== 0) throw new Error(`apt-get update failed:\n${update.stderr.slice(-4000)}`);
  const install = await run('apt-get', ['install', '-y', '-qq', 'chromium'], { env });
  if (install.code !== 0) throw new Error(`apt-get install chromium failed:\n${install.stderr.slice(-4000)}`);
  if (!(await isExecutable(DEBIAN_CHROMIUM))) throw new Error(`apt-get installed chromium, but ${DEBIAN_CHROMIUM} is missing`);
  return DEBIAN_CHROMIUM;
}

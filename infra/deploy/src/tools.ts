import { cacheDir, findOnPath, run } from '@mctb/devstack';
import { access, constants, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Helm, built with `go install` from the Go module proxy (no prebuilt download can be fetched
 * here). v4 is Helm's maintained major; its go.mod has no `replace` directive, so it installs this way.
 */
export const HELM_VERSION = 'v4.3.2';
const HELM_MODULE = 'helm.sh/helm/v4/cmd/helm';

/**
 * kubernetes-validate (PyPI, maintained by Will Thames): validates manifests against the Kubernetes
 * JSON schemas it ships for every release from 1.25 to 1.37, offline, and in --strict mode rejects
 * unknown fields. Installed with its dependencies pinned into a virtualenv in the cache.
 */
export const KUBERNETES_VALIDATE_VERSION = '1.37.0';
const KUBERNETES_VALIDATE_REQUIREMENTS = [
  `kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}`,
  'attrs==26.1.0',
  'importlib_resources==7.1.0',
  'jsonschema==4.26.0',
  'jsonschema-specifications==2025.9.1',
  'packaging==26.4',
  'PyYAML==6.0.4',
  'referencing==0.37.0',
  'rpds-py==2026.9.1',
  'typing_extensions==4.16.0',
];

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** Finds helm: $HELM, then our cache; otherwise builds it once into the cache (a few minutes), never in the repo. */
export async function ensureHelm(log: (message: string) => void = console.log): Promise<string> {
  const explicit = process.env.HELM;
  if (explicit) {
    if (!(await isExecutable(explicit))) throw new Error(`HELM=${explicit} is not an executable file`);
    return explicit;
  }
  // A helm found on PATH could be any version; the tests pin this one, so only the cache counts.
  const installDir = join(cacheDir(), `helm-${HELM_VERSION}`);
  const cached = join(installDir, 'helm');
  if (await isExecutable(cached)) return cached;
  const go = await findOnPath('go');
  if (!go) throw new Error(`Go is needed to build helm ${HELM_VERSION} (go install ${HELM_MODULE}); or set HELM to a helm binary`);
  log(`› building helm ${HELM_VERSION} with Go (once; cached in ${installDir})`);
  await mkdir(installDir, { recursive: true });
  // Build into a private directory, then rename: concurrent builds never see a half-written binary.
  const scratch = await mkdtemp(join(installDir, 'build-'));
  try {
    const result = await run(go, ['install', `${HELM_MODULE}@${HELM_VERSION}`], { env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0' } });
    if (result.code !== 0) throw new Error(`go install ${HELM_MODULE}@${HELM_VERSION} failed:\n${result.stderr.slice(-4000)}`);
    await rename(join(scratch, 'helm'), cached);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return cached;
}

/** How to run kubernetes-validate: the virtualenv's interpreter and its arguments before the validator's own. */
export interface KubernetesValidate {
  python: string;
  args: string[];
}

/** kubernetes-validate, installed once into a virtualenv in the cache with pip (pinned versions, no resolver). */
export async function ensureKubernetesValidate(log: (message: string) => void = console.log): Promise<KubernetesValidate> {
  const venv = join(cacheDir(), `kubernetes-validate-${KUBERNETES_VALIDATE_VERSION}`);
  // The module through the venv's interpreter: its bin/ scripts name the path they were installed at.
  const installed: KubernetesValidate = { python: join(venv, 'bin', 'python'), args: ['-m', 'kubernetes_validate'] };
  if (await isExecutable(installed.python)) return installed;
  const python = (await findOnPath('python3')) ?? (await findOnPath('python'));
  if (!python) throw new Error('Python 3 (with its venv module) is needed to install kubernetes-validate from PyPI');
  log(`› installing kubernetes-validate ${KUBERNETES_VALIDATE_VERSION} from PyPI (once; into ${venv})`);
  await mkdir(cacheDir(), { recursive: true });
  const scratch = await mkdtemp(`${venv}-build-`);
  try {
    // Installed in a scratch directory and moved into place whole once pip succeeded.
    const staged = join(scratch, 'venv');
    const created = await run(python, ['-m', 'venv', staged]);
    if (created.code !== 0) throw new Error(`${python} -m venv failed (on Debian: apt-get install python3-venv):\n${created.stderr.slice(-2000)}`);
    const pip = await run(join(staged, 'bin', 'python'), ['-m', 'pip', 'install', '--no-input', '--disable-pip-version-check', '--no-deps', ...KUBERNETES_VALIDATE_REQUIREMENTS]);
    if (pip.code !== 0) throw new Error(`pip install kubernetes-validate failed:\n${pip.stderr.slice(-4000)}`);
    await rm(venv, { recursive: true, force: true });
    await rename(staged, venv);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return installed;
}

import { repoRoot, run } from '@mctb/devstack';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The chart's directory (infra/deploy/helm/mctb). */
export const chartDir = join(repoRoot, 'infra', 'deploy', 'helm', 'mctb');

/** One rendered Kubernetes object, loosely typed: tests walk it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
  /** Values files, in order (later ones win). */
  valuesFiles?: string[];
  /** --set key=value pairs. */
  set?: Record<string, string>;
  /** --kube-version for Capabilities.KubeVersion. */
  kubeVersion?: string;
}

/** `helm template` of the chart: the YAML as printed and its objects. Throws with helm's message when rendering fails. */
export async function renderChart(helm: string, options: RenderOptions = {}): Promise<{ yaml: string; manifests: Manifest[] }> {
  const args = ['template', options.release ?? 'mctb', chartDir, '--namespace', options.namespace ?? 'mctb'];
  for (const file of options.valuesFiles ?? []) args.push('--values', file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${value}`);
  if (options.kubeVersion) args.push('--kube-version', options.kubeVersion);
  const result = await run(helm, args);
  if (result.code !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${result.stderr}`);
  const manifests = parseAllDocuments(result.stdout)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`helm template printed invalid YAML: ${document.errors[0]?.message}`);
      return document.toJS() as Manifest | null;
    })
    .filter((manifest): manifest is Manifest => manifest !== null);
  return { yaml: result.stdout, manifests };
}

export { ensureHelm, ensureKubernetesValidate, HELM_VERSION, KUBERNETES_VALIDATE_VERSION, type KubernetesValidate } from './tools.js';
export { chartDir, renderChart, type Manifest } from './chart.js';

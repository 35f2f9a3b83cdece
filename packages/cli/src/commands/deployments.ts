import { DEPLOYMENTS } from '../documents.js';
import { EXIT_OK } from '../exit-codes.js';
import { plural } from '../format/issues.js';
import { renderTable } from '../format/table.js';
import type { GraphQLRequest } from '../graphql-client.js';
import type { Io } from '../io.js';

interface Deployment {
  subAccount: { id: string; name: string; appliedVersions: { appliedBy: string | null; provisioningRunId: string | null }[] };
  snapshotVersion: { version: number };
  provisionedAt: string;
}

const PAGE = 100;

/** `mctb deployments SLUG [--version N]`: which sub-accounts run which version, and who put it there. */
export async function listDeployments(slug: string, version: number | undefined, request: GraphQLRequest, io: Io): Promise<number> {
  const deployments: Deployment[] = [];
  for (let after: string | undefined; ; ) {
    const page = (await request<{ deployments: Deployment[] }>(DEPLOYMENTS, { slug, version, first: PAGE, after })).deployments;
    deployments.push(...page);
    if (page.length < PAGE) break;
    after = page.at(-1)!.subAccount.id;
  }
  const which = version === undefined ? slug : `${slug}@${version}`;
  if (deployments.length === 0) {
    io.out(`no sub-account runs ${which}`);
    return EXIT_OK;
  }
  io.out(
    renderTable(
      ['sub-account', 'id', 'version', 'provisioned at', 'by'],
      deployments.map((d) => [d.subAccount.name, d.subAccount.id, d.snapshotVersion.version, d.provisionedAt, provisionedBy(d)]),
    ),
  );
  io.out(`${plural(deployments.length, 'sub-account')} ${deployments.length === 1 ? 'runs' : 'run'} ${which}`);
  return EXIT_OK;
}

/** The run that applied the version, else the API key that did. */
function provisionedBy(deployment: Deployment): string | null {
  const applied = deployment.subAccount.appliedVersions[0];
  if (applied?.provisioningRunId) return `run ${applied.provisioningRunId}`;
  return applied?.appliedBy ? `key ${applied.appliedBy}` : null;
}

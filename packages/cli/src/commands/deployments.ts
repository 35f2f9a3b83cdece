import { DEPLOYMENTS } from '../documents.js';
import { EXIT_OK } from '../exit-codes.js';
import { plural } from '../format/issues.js';
import { renderTable } from '../format/table.js';
import type { GraphQLRequest } from '../graphql-client.js';
import type { Io } from '../io.js';

interface Deployment {
  id: string;
  subAccount: { id: string; name: string };
  snapshotVersion: { version: number };
  provisionedAt: string;
  provisionedBy: string | null;
}

const PAGE = 100;

/** `mctb deployments SLUG [--version N]`: which sub-accounts run which version. */
export async function listDeployments(slug: string, version: number | undefined, request: GraphQLRequest, io: Io): Promise<number> {
  const deployments: Deployment[] = [];
  for (let after: string | undefined; ; ) {
    const data = await request<{ deployments: Deployment[] }>(DEPLOYMENTS, { slug, version, first: PAGE, after });
    deployments.push(...data.deployments);
    if (data.deployments.length < PAGE) break;
    after = data.deployments.at(-1)!.id;
  }
  const which = version === undefined ? slug : `${slug}@${version}`;
  if (deployments.length === 0) {
    io.out(`no sub-account runs ${which}`);
    return EXIT_OK;
  }
  io.out(
    renderTable(
      ['sub-account', 'id', 'version', 'provisioned at', 'by'],
      deployments.map((d) => [d.subAccount.name, d.subAccount.id, d.snapshotVersion.version, d.provisionedAt, d.provisionedBy]),
    ),
  );
  io.out(`${plural(deployments.length, 'sub-account')} run ${which}`);
  return EXIT_OK;
}

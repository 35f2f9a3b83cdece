/**
 * The GraphQL operations the CLI sends (services/control-plane/schema.graphql is the contract).
 * Results are unions of a payload and typed errors; every error type has a message, and a
 * ValidationError lists its issues with paths (and YAML lines for a snapshot).
 */

/** For unions with a ValidationError (GraphQL refuses a spread on a union that can't hold it). */
const ERRORS = `
  ... on Error { message }
  ... on ValidationError { issues { path message line column } }
`;
const MESSAGE = `... on Error { message }`;

export const IMPORT_SNAPSHOT = `
mutation ImportSnapshot($yaml: String!) {
  importSnapshot(yaml: $yaml) {
    __typename
    ... on ImportSnapshotPayload { created snapshotVersion { slug version name } warnings { path message line column } }
    ${ERRORS}
  }
}`;

export const SNAPSHOT_DIFF = `
query SnapshotDiff($slug: String!, $from: Int!, $to: Int!) {
  snapshotDiff(slug: $slug, from: $from, to: $to) {
    __typename
    ... on SnapshotDiff { slug from to changes { section path kind summary before after } }
    ${MESSAGE}
  }
}`;

const RUN_FIELDS = `
  id idempotencyKey status total applied unchanged failed pending createdAt completedAt
  snapshotVersion { slug version }
`;

const TARGET_FIELDS = `index label status reason subAccount { id name } conflicts { path message } issues { path message }`;

export const PREVIEW_PROVISIONING = `
query PreviewProvisioning($input: PreviewProvisioningInput!) {
  previewProvisioning(input: $input) {
    __typename
    ... on ProvisioningPreview {
      targets {
        index label action fromSlug fromVersion subAccountId subAccountName
        changes { section path kind summary }
        conflicts { path message }
        issues { path message }
      }
    }
    ${ERRORS}
  }
}`;

export const START_PROVISIONING = `
mutation StartProvisioning($input: StartProvisioningInput!) {
  startProvisioning(input: $input) {
    __typename
    ... on StartProvisioningPayload { created run { ${RUN_FIELDS} } }
    ${ERRORS}
  }
}`;

export const PROVISIONING_PROGRESS = `
query ProvisioningProgress($id: ID!) {
  provisioningRun(id: $id) { ${RUN_FIELDS} }
}`;

export const PROVISIONING_PROGRESS_EVENTS = `
subscription ProvisioningProgressEvents($id: ID!) {
  provisioningProgress(id: $id) { ${RUN_FIELDS} }
}`;

export const PROVISIONING_TARGETS = `
query ProvisioningTargets($id: ID!, $first: Int, $after: Int) {
  provisioningRun(id: $id) { id targets(first: $first, after: $after) { ${TARGET_FIELDS} } }
}`;

export const DEPLOYMENTS = `
query Deployments($slug: String!, $version: Int, $first: Int, $after: ID) {
  deployments(slug: $slug, version: $version, first: $first, after: $after) {
    subAccount { id name appliedVersions(first: 1, slug: $slug) { appliedBy provisioningRunId } }
    snapshotVersion { version }
    provisionedAt
  }
}`;

export const SNAPSHOT_LATEST_VERSION = `
query SnapshotLatestVersion($slug: String!) {
  snapshot(slug: $slug) { latestVersion { version } }
}`;

import { cacheExchange, Client, fetchExchange } from '@urql/core';

const KEY = 'mctb.apiKey';

export const storedKey = (): string | null => sessionStorage.getItem(KEY);
export const storeKey = (key: string | null): void => {
  if (key) sessionStorage.setItem(KEY, key);
  else sessionStorage.removeItem(KEY);
};

/** A GraphQL client for the control plane beside us (same origin), authenticated with the key. */
export function createApiClient(apiKey: string): Client {
  return new Client({
    url: new URL('/graphql', window.location.origin).toString(),
    exchanges: [cacheExchange, fetchExchange],
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { authorization: `Bearer ${apiKey}` } }),
  });
}

/** Checks a key before keeping it: the viewer answers only for a valid, unrevoked key. */
export async function checkKey(apiKey: string): Promise<{ ok: true; agency: string } | { ok: false; message: string }> {
  try {
    const response = await fetch(new URL('/graphql', window.location.origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query: '{ viewer { agency { name } } }' }),
    });
    const body = (await response.json().catch(() => null)) as { data?: { viewer?: { agency: { name: string } } }; errors?: { message: string }[] } | null;
    const agency = body?.data?.viewer?.agency.name;
    if (response.ok && agency) return { ok: true, agency };
    if (response.status === 401 || response.status === 403) return { ok: false, message: 'This API key was not accepted (unknown or revoked). Check it and try again.' };
    return { ok: false, message: body?.errors?.[0]?.message ?? `The control plane answered ${response.status}.` };
  } catch {
    return { ok: false, message: 'The control plane could not be reached.' };
  }
}

/** A page of sub-accounts (PAGE_SIZE + 1 asked, so the page knows whether another follows). */
export const SUB_ACCOUNTS = `query SubAccounts($after: ID) { subAccounts(first: 101, after: $after) {
  id name timeZone unreadConversations phoneNumbers(first: 1) { e164 }
  todayMetrics { date missedCalls textsSent textsDelivered replies replyRate recoveredLeads secondsToTextMedian }
} }`;

export const SUB_ACCOUNT = `query SubAccount($id: ID!) { subAccount(id: $id) {
  id name timeZone forwardingNumber unreadConversations phoneNumbers(first: 1) { e164 }
  provisioning { provisionedAt snapshotVersion { id slug name version } }
  todayMetrics { date missedCalls textsSent replies replyRate recoveredLeads }
} }`;

export const CALLS = `query Calls($id: ID!) { subAccount(id: $id) { id calls(first: 50) {
  id callSid from fromRaw startedAt outcome outcomeDetail textBackStatus textBackReason untextableReason
  messages(first: 3) { id body status direction }
} } }`;

export const CONVERSATIONS = `query Conversations($id: ID!) { subAccount(id: $id) { id conversations(first: 50) {
  cursor unread lastActivityAt contact { id phone firstName lastName optedOut }
  lastMessage { body direction status }
} } }`;

export const THREAD = `query Thread($id: ID!, $contactId: ID!) { subAccount(id: $id) { id contact(id: $contactId) {
  id phone firstName lastName optedOut
  thread(first: 100) { cursor at kind direction body status sentBy outcome textBackStatus textBackReason detail }
  runs(first: 5) { id workflowKey status currentStep reason startedAt }
} } }`;

export const SEND_REPLY = `mutation SendReply($input: SendReplyInput!) { sendReply(input: $input) {
  __typename
  ... on SentMessagePayload { status reason body segments encoding sentMessage { id status } }
  ... on ValidationError { message issues { path message } }
  ... on NotFoundError { message }
  ... on ForbiddenError { message }
} }`;

export const MARK_READ = `mutation MarkRead($input: MarkConversationReadInput!) { markConversationRead(input: $input) {
  __typename ... on MarkConversationReadPayload { readAt } ... on NotFoundError { message }
} }`;

export const METRICS = `query Metrics($id: ID!, $from: Date!, $to: Date!) { subAccount(id: $id) { id metrics(from: $from, to: $to) {
  __typename
  ... on Metrics {
    from to
    days { date missedCalls textsSent textsDelivered textsFailed textsSkipped replies replyRate recoveredLeads secondsToTextMedian secondsToTextP90 }
    totals { missedCalls textsSent textsDelivered textsFailed textsSkipped replies replyRate recoveredLeads optOuts secondsToTextMedian secondsToTextP90 secondsToFirstHumanResponseMedian skippedByReason { reason count } byOutcome { outcome count } }
  }
  ... on ValidationError { message issues { path message } }
} } }`;

export const SNAPSHOTS = `query Snapshots { snapshotVersions(first: 100) { id slug name version createdAt description } }`;

export const SNAPSHOT_DIFF = `query Diff($slug: String!, $from: Int!, $to: Int!) { snapshotDiff(slug: $slug, from: $from, to: $to) {
  __typename ... on SnapshotDiff { from to changes { kind section path summary } } ... on NotFoundError { message }
} }`;

export const DEPLOYMENTS = `query Deployments($slug: String!) { deployments(slug: $slug, first: 100) {
  provisionedAt subAccount { id name } snapshotVersion { version }
} }`;

export const PROVISIONING_RUNS = `query Runs { provisioningRuns(first: 50) {
  id status total applied unchanged failed pending createdAt completedAt snapshotVersion { slug version }
} }`;

export const PROVISIONING_RUN = `query Run($id: ID!) { provisioningRun(id: $id) {
  id status total applied unchanged failed pending concurrency createdAt completedAt snapshotVersion { slug name version }
  targets(first: 100) { index label status reason finishedAt subAccount { id name } }
} }`;

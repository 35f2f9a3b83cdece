import { API_VERSION, rfc2822 } from './format.js';
import type { FakeCall } from './types.js';

function callsPath(accountSid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}/Calls`;
}

/** The Call resource JSON, shaped like Twilio's. */
export function callResource(call: FakeCall) {
  return {
    account_sid: call.accountSid,
    answered_by: call.answeredBy,
    api_version: API_VERSION,
    date_created: rfc2822(call.dateCreated),
    date_updated: rfc2822(call.dateCreated),
    direction: call.parentCallSid ? 'outbound-dial' : 'inbound',
    duration: call.durationSeconds === null ? null : String(call.durationSeconds),
    from: call.from,
    parent_call_sid: call.parentCallSid,
    sid: call.sid,
    status: call.status,
    to: call.to,
    uri: `${callsPath(call.accountSid)}/${call.sid}.json`,
  };
}

/** One page of the Calls list (newest first), filtered by ParentCallSid and Status as Twilio does. */
export function callsPage(accountSid: string, query: URLSearchParams, newestFirst: FakeCall[]) {
  const parent = query.get('ParentCallSid');
  const status = query.get('Status');
  const pageSize = Math.min(Math.max(Number(query.get('PageSize') ?? '50') || 50, 1), 1000);
  const matching = newestFirst.filter((call) => (parent === null || call.parentCallSid === parent) && (status === null || call.status === status));
  const uri = `${callsPath(accountSid)}.json?${query.toString()}`;
  return {
    calls: matching.slice(0, pageSize).map(callResource),
    end: Math.max(Math.min(matching.length, pageSize) - 1, 0),
    first_page_uri: uri,
    next_page_uri: null,
    page: 0,
    page_size: pageSize,
    previous_page_uri: null,
    start: 0,
    uri,
  };
}

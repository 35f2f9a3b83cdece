import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as httpResponse from 'twilio/lib/http/response.js';

export type Twilio = twilio.Twilio;

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /**
   * Origin (optionally with a path prefix) that receives every request the SDK would send to Twilio's
   * cloud, e.g. `http://127.0.0.1:4567` for a local fake. Path and query of each request are kept.
   */
  apiBaseUrl?: string;
  /** Timeout of each HTTP request in milliseconds (the SDK's default is 30 s). */
  timeoutMs?: number;
}

/** True for api.twilio.com and every other Twilio cloud host (edges, regions, other products). */
function isTwilioCloudHost(hostname: string): boolean {
  return hostname === 'twilio.com' || hostname.endsWith('.twilio.com');
}

/** The SDK's own HTTP client, sending what was meant for Twilio's cloud to another base URL. */
class BaseUrlRequestClient extends twilio.RequestClient {
  readonly #origin: string;
  readonly #pathPrefix: string;

  constructor(baseUrl: URL, options: { timeout?: number }) {
    super(options);
    this.#origin = baseUrl.origin;
    this.#pathPrefix = baseUrl.pathname.replace(/\/+$/, '');
  }

  override request<TData>(options: RequestClient.RequestOptions<TData>): Promise<httpResponse.default<TData>> {
    return super.request<TData>({ ...options, uri: this.rewrite(options.uri) });
  }

  private rewrite(uri: string): string {
    const target = new URL(uri);
    if (!isTwilioCloudHost(target.hostname)) return uri;
    return `${this.#origin}${this.#pathPrefix}${target.pathname}${target.search}`;
  }
}

function parseBaseUrl(apiBaseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(apiBaseUrl);
  } catch {
    throw new Error(`apiBaseUrl is not a URL: ${apiBaseUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`apiBaseUrl must be http(s): ${apiBaseUrl}`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new Error(`apiBaseUrl must be an origin with an optional path, nothing else: ${apiBaseUrl}`);
  }
  return url;
}

/**
 * A real `twilio` SDK client. Retries are left to the caller: the SDK's 429 auto-retry stays off
 * (its default), so every create is exactly one HTTP request.
 */
export function createTwilioClient(options: TwilioClientOptions): Twilio {
  const { accountSid, authToken, apiBaseUrl, timeoutMs } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new Error(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  }
  const httpOptions = timeoutMs === undefined ? {} : { timeout: timeoutMs };
  const httpClient =
    apiBaseUrl === undefined
      ? new twilio.RequestClient(httpOptions)
      : new BaseUrlRequestClient(parseBaseUrl(apiBaseUrl), httpOptions);
  return new twilio.Twilio(accountSid, authToken, { httpClient });
}

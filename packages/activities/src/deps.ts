import type { ProvisioningDeps } from '@mctb/control';
import type { Orm } from '@mctb/db';
import type { TextBackStatus } from '@mctb/domain';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import type { SmsSender } from '@mctb/sms';
import type { Client } from '@temporalio/client';
import type { Mailer } from './mailer.js';

export interface ActivityDeps {
  /** Each activity forks its own EntityManager from this ORM. */
  orm: Orm;
  sender: SmsSender;
  plugins: PluginRegistry;
  /** Starts the runs `start_workflow` steps ask for. */
  temporal: Client;
  /** Sends `notify` e-mails; null when no SMTP server is configured (such a step then fails, saying so). */
  mailer: Mailer | null;
  /**
   * Webhooks may reach private, loopback and link-local addresses. Off in production, where a URL
   * from a snapshot must not reach the platform's own network (SSRF); on in development and tests.
   */
  allowPrivateNetworks: boolean;
  /** What provisioning runs need beyond the plugins: number claims and the provider's number settings. */
  provisioning?: Omit<ProvisioningDeps, 'plugins'>;
  /** Time budget of one plugin hook call. */
  hookTimeoutMs?: number;
  /** Told each time calls' text-back outcome is stored (the worker counts them for /metrics). */
  onTextBackStatus?: (status: Exclude<TextBackStatus, 'pending'>, reason: string | null, calls: number) => void;
}

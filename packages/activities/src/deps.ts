import type { Orm } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import type { SmsSender } from '@mctb/sms';
import type { Client } from '@temporalio/client';

export interface ActivityDeps {
  /** Each activity forks its own EntityManager from this ORM. */
  orm: Orm;
  sender: SmsSender;
  plugins: PluginRegistry;
  /** Starts the runs `start_workflow` steps ask for. */
  temporal: Client;
  /** Time budget of one plugin hook call. */
  hookTimeoutMs?: number;
}


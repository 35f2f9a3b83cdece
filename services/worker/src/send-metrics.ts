import type { MetricsRegistry } from '@mctb/service-kit';
import { SmsSender, type SendOutcome, type SendRequest, type SmsSenderDeps } from '@mctb/sms';

/**
 * The worker's sender, counting what it does at the provider: `mctb_texts_sent_total` once per
 * text the provider accepted (a retry that finds it already sent counts nothing) and
 * `mctb_texts_refused_total` for texts refused (opted out, or the provider said no), by provider.
 * Every text goes through here: text-backs, follow-ups, notifications by SMS, team replies.
 */
export class CountingSmsSender extends SmsSender {
  private readonly sent;
  private readonly refused;

  constructor(deps: SmsSenderDeps, registry: MetricsRegistry) {
    super(deps);
    this.sent = registry.counter('mctb_texts_sent_total', 'Texts the provider accepted, by provider');
    this.refused = registry.counter('mctb_texts_refused_total', 'Texts refused before or by the provider (e.g. opted out), by provider');
  }

  override async send(request: SendRequest): Promise<SendOutcome> {
    const outcome = await super.send(request);
    if (outcome.kind === 'sent' && !outcome.alreadySent) this.sent.inc({ provider: request.provider });
    if (outcome.kind === 'refused') this.refused.inc({ provider: request.provider });
    return outcome;
  }
}

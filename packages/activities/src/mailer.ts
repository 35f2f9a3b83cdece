import { createTransport } from 'nodemailer';

/** A plain-text e-mail a `notify` step sends. */
export interface OutgoingMail {
  /** Display name of the sender (the business); the address is the mailer's. */
  fromName: string;
  to: string;
  subject: string;
  text: string;
  /** With its angle brackets. The same for every attempt at the same notification. */
  messageId: string;
}

export interface MailReceipt {
  messageId: string;
  /** The server's last reply, e.g. "250 OK: queued as …". */
  response: string;
}

/** The server refused the message. `permanent`: sending it again would be refused again (5xx). */
export class MailRefusedError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'MailRefusedError';
  }
}

/** What the activities need to send e-mail (ActivityDeps.mailer). */
export interface Mailer {
  /** Resolves once the server accepted the message; throws MailRefusedError or a connection error. */
  send(mail: OutgoingMail): Promise<MailReceipt>;
  close(): void;
}

export interface SmtpMailerOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465 (TLS from the start). */
  url: string;
  /** The sender address every notification comes from. */
  from: string;
}

/**
 * A Mailer over SMTP (nodemailer). Timeouts are short so an attempt ends well inside its
 * activity's 20 s: a hung server is retried by Temporal rather than held.
 */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const transport = createTransport({ url: options.url, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 });
  return {
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from: { name: mail.fromName, address: options.from },
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          // RFC 3834: an automatic message, so vacation responders don't answer it.
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
        return { messageId: info.messageId, response: info.response };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        // RFC 5321: 5yz is a permanent refusal, except 503 (a command out of sequence, fine on a new connection).
        if (code !== undefined && code >= 400) throw new MailRefusedError((error as Error).message, code >= 500 && code !== 503);
        throw error;
      }
    },
    close: () => transport.close(),
  };
}

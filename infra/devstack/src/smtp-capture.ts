import { simpleParser, type AddressObject } from 'mailparser';
import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/** One message as the capture server received it. */
export interface CapturedMail {
  /** 1, 2, … in order of arrival. */
  seq: number;
  /** The SMTP envelope (MAIL FROM, RCPT TO), which is where a message really goes. */
  envelope: { from: string | null; to: string[] };
  /** Header fields, decoded. Message-ID with its angle brackets. */
  messageId: string | null;
  from: string;
  to: string[];
  subject: string;
  /** The plain-text body, without the line break SMTP ends it with. */
  text: string;
  /** The message exactly as sent (RFC 5322). */
  raw: string;
  receivedAt: Date;
  /** Where it was written, when the server saves messages. */
  file: string | null;
}

export interface SmtpCaptureOptions {
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to a free port. */
  port?: number;
  /** Write each message to `<dir>/<time>-<seq>.eml` (npm start keeps them under .mctb/mail). */
  saveTo?: string;
  /** One line per message received. */
  log?: (line: string) => void;
}

/** A local SMTP server that accepts every message and keeps it, for tests and the dev platform. */
export interface SmtpCapture {
  /** For SMTP_URL, e.g. smtp://127.0.0.1:2525. */
  readonly url: string;
  readonly port: number;
  /** Messages received so far, oldest first (copies). */
  messages(): CapturedMail[];
  clear(): void;
  stop(): Promise<void>;
}

/** Largest message accepted; a notification is a few kilobytes. */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * Starts an SMTP server (a real SMTP conversation, through the smtp-server package) on loopback.
 * No TLS and no authentication: it only ever listens locally, and clients then send in the clear.
 */
export async function startSmtpCapture(options: SmtpCaptureOptions = {}): Promise<SmtpCapture> {
  const host = options.host ?? '127.0.0.1';
  const received: CapturedMail[] = [];
  if (options.saveTo) await mkdir(options.saveTo, { recursive: true });

  const server = new SMTPServer({
    name: 'mctb-mail-capture',
    banner: 'mctb local mail capture',
    // Without STARTTLS on offer, clients (nodemailer) deliver in plain text rather than fail on a self-signed certificate.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    // Stopping waits this long for clients still connected, then drops them.
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(Object.assign(new Error('message too large'), { responseCode: 552 }));
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelope = {
          from: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        };
        capture(raw, envelope).then(() => callback(), callback);
      });
    },
  });

  const capture = async (raw: string, envelope: CapturedMail['envelope']): Promise<void> => {
    const parsed = await simpleParser(raw);
    const seq = received.length + 1;
    const receivedAt = new Date();
    let file: string | null = null;
    if (options.saveTo) {
      file = join(options.saveTo, `${receivedAt.toISOString().replaceAll(':', '-')}-${seq}.eml`);
      await writeFile(file, raw);
    }
    const mail: CapturedMail = {
      seq,
      envelope,
      messageId: parsed.messageId ?? null,
      from: parsed.from?.text ?? '',
      to: addresses(parsed.to),
      subject: parsed.subject ?? '',
      text: (parsed.text ?? '').replace(/\r?\n$/, ''),
      raw,
      receivedAt,
      file,
    };
    received.push(mail);
    options.log?.(`mail to ${envelope.to.join(', ')}: "${mail.subject}"${file ? ` (${file})` : ''}`);
  };

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;

  return {
    url: `smtp://${host}:${port}`,
    port,
    messages: () => received.map((mail) => ({ ...mail, envelope: { ...mail.envelope, to: [...mail.envelope.to] }, to: [...mail.to] })),
    clear: () => void received.splice(0),
    stop() {
      stopped ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return stopped;
    },
  };
}

function addresses(header: AddressObject | AddressObject[] | undefined): string[] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return objects.flatMap((object) => object.value.map((address) => address.address ?? '')).filter((address) => address !== '');
}

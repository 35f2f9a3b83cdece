import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpCapture, type SmtpCapture } from './smtp-capture.js';

/** A client speaking SMTP by hand: each command waits for the server's complete reply. */
async function smtpSession(port: number, commands: string[]): Promise<string[]> {
  const socket: Socket = connect(port, '127.0.0.1');
  let buffer = '';
  const waiters: (() => void)[] = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    waiters.splice(0).forEach((wake) => wake());
  });
  // A reply is complete at a line "NNN text" (a dash after the code means more lines follow).
  const reply = async (): Promise<string> => {
    for (;;) {
      const end = /^\d{3} .*\r\n/m.exec(buffer);
      if (end) {
        const text = buffer.slice(0, end.index + end[0].length);
        buffer = buffer.slice(text.length);
        return text.trim();
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const replies = [await reply()];
  for (const command of commands) {
    socket.write(`${command}\r\n`);
    replies.push(await reply());
  }
  socket.end();
  return replies;
}

const message = [
  'From: "Greenfield via mctb" <notifications@mctb.local>',
  'To: owner@greenfield.example',
  'Subject: =?UTF-8?Q?Missed_call_=E2=80=94_no_reply?=',
  'Message-ID: <run-1/alert@mctb>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Call back +15125550123.',
  '..a line that starts with a dot',
  '.',
].join('\r\n');

describe('the local SMTP capture server', () => {
  let capture: SmtpCapture;
  let dir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mctb-mail-'));
    capture = await startSmtpCapture({ saveTo: join(dir, 'mail'), log: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await capture?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts a message over SMTP, keeps it decoded, writes it to a file and logs one line', async () => {
    const replies = await smtpSession(capture.port, ['EHLO test', 'MAIL FROM:<notifications@mctb.local>', 'RCPT TO:<owner@greenfield.example>', 'DATA', message, 'QUIT']);
    expect(replies[0]).toMatch(/^220 /);
    expect(replies[1]).not.toContain('STARTTLS');
    expect(replies.slice(2)).toEqual([expect.stringMatching(/^250 /), expect.stringMatching(/^250 /), expect.stringMatching(/^354 /), expect.stringMatching(/^250 /), expect.stringMatching(/^221 /)]);

    const [mail] = capture.messages();
    expect(mail).toMatchObject({
      seq: 1,
      envelope: { from: 'notifications@mctb.local', to: ['owner@greenfield.example'] },
      messageId: '<run-1/alert@mctb>',
      to: ['owner@greenfield.example'],
      subject: 'Missed call — no reply',
      text: 'Call back +15125550123.\n.a line that starts with a dot',
    });
    expect(await readFile(mail!.file!, 'utf8')).toContain('Message-ID: <run-1/alert@mctb>');
    expect(lines).toEqual([`mail to owner@greenfield.example: "Missed call — no reply" (${mail!.file})`]);
    expect(capture.url).toBe(`smtp://127.0.0.1:${capture.port}`);
  });

  it('forgets what it received when cleared', async () => {
    capture.clear();
    expect(capture.messages()).toEqual([]);
  });
});

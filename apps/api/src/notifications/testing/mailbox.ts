import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope's recipients, as the sender gave them to the server. */
  readonly to: readonly string[];
  readonly mail: ParsedMail;
  readonly raw: string;
}

export interface Mailbox {
  /** The SMTP_URL that reaches it. */
  readonly url: string;
  /** Every message accepted, in order, repeats included. */
  readonly received: ReceivedMail[];
  /** Waits until `count` messages to `to` have arrived (default one), and answers them. */
  waitFor(to: string, count?: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) on a loopback port, as the receiving peer of the tests; each
 * message is parsed back with mailparser. `acceptAfterMs` holds each message before the server
 * answers 250, so a test can kill the sender while a message is on the wire.
 */
export async function openMailbox({
  acceptAfterMs = 0,
  onAccepted = () => undefined,
}: {
  acceptAfterMs?: number;
  /** Called as the server answers 250 to a message. */
  onAccepted?: (mail: ReceivedMail) => void;
} = {}): Promise<Mailbox> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        setTimeout(() => {
          simpleParser(raw).then(
            (mail) => {
              const accepted = { to: session.envelope.rcptTo.map((recipient) => recipient.address), mail, raw };
              received.push(accepted);
              callback();
              onAccepted(accepted);
            },
            (error: Error) => callback(error),
          );
        }, acceptAfterMs);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  const to = (address: string) => received.filter((message) => message.to.includes(address));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    to,
    async waitFor(address, count = 1, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (to(address).length < count) {
        if (Date.now() > deadline) throw new Error(`${address} got ${to(address).length} messages, not ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return to(address);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';

/** Sends one message; resolves once the SMTP server accepted it (or it is written to its file). */
export interface Mailer {
  send(message: Mail.Options): Promise<void>;
  close(): void;
}

export const MAILER = Symbol('Mailer');

/**
 * nodemailer over SMTP_URL; without one, each message is written as an `.eml` file under
 * DATA_DIR/mail, so the default install works and a person can read what would have been sent.
 */
export function openMailer({
  smtpUrl,
  mailDirectory,
  timeoutMs,
}: {
  smtpUrl: string | null;
  mailDirectory: string;
  timeoutMs: number;
}): Mailer {
  if (smtpUrl !== null) {
    const transport: Transporter = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    return {
      send: async (message) => void (await transport.sendMail(message)),
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (message) => {
      const { message: raw } = (await transport.sendMail(message)) as unknown as { message: Buffer };
      await mkdir(mailDirectory, { recursive: true });
      const id = String(message.messageId ?? Date.now()).replace(/[^A-Za-z0-9.@-]/g, '');
      await writeFile(join(mailDirectory, `${new Date().toISOString().replace(/[:.]/g, '-')}-${id}.eml`), raw);
    },
    close: () => transport.close(),
  };
}

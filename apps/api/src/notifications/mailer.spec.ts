import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { openMailer } from './mailer.js';

describe('mail without an SMTP server', () => {
  it('is written as a message file under DATA_DIR/mail, readable as the mail it would have been', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'tracker-mail-'));
    try {
      const mailer = openMailer({ smtpUrl: null, mailDirectory: join(directory, 'mail'), timeoutMs: 1000 });
      await mailer.send({
        from: 'Tracker <tracker@tracker.test>',
        to: 'reader@example.org',
        messageId: '<0b6c1f0e-0000-4000-8000-000000000001@tracker.test>',
        subject: 'A change',
        text: 'Progress: <b>bold</b>',
        html: '<p>Progress: &lt;b&gt;bold&lt;/b&gt;</p>',
        list: { unsubscribe: 'http://tracker.test/follow/unsubscribe/x' },
      });
      mailer.close();
      const [file, ...others] = await readdir(join(directory, 'mail'));
      expect(others).toEqual([]);
      expect(file).toMatch(/0b6c1f0e-0000-4000-8000-000000000001@tracker\.test\.eml$/);
      const mail = await simpleParser(await readFile(join(directory, 'mail', file!)));
      expect(mail.subject).toBe('A change');
      expect(mail.to).toEqual(expect.objectContaining({ text: 'reader@example.org' }));
      expect(mail.text?.trim()).toBe('Progress: <b>bold</b>');
      expect(mail.html).toContain('&lt;b&gt;');
      expect(mail.headers.get('list')).toEqual(expect.objectContaining({ unsubscribe: expect.anything() }));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

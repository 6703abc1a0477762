import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { composeNginxConfiguration, NGINX, nginxConfiguration } from './topology.js';

describe('the nginx configuration (issue 16)', () => {
  it('docker/nginx.conf is the one the topology test runs, for the compose file', async () => {
    expect(await readFile(join(process.cwd(), 'docker/nginx.conf'), 'utf8')).toBe(composeNginxConfiguration());
  });

  (existsSync(NGINX) ? it : it.skip)('nginx accepts it (nginx -t)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'nginx-check-'));
    try {
      const file = join(directory, 'nginx.conf');
      await writeFile(
        file,
        nginxConfiguration({ directory, listen: '127.0.0.1:8080', upstreams: ['127.0.0.1:3001', '127.0.0.1:3002'] }),
      );
      const { stderr } = await promisify(execFile)(NGINX, [
        '-t',
        '-c',
        file,
        '-p',
        directory,
        '-e',
        join(directory, 'error.log'),
      ]);
      expect(stderr).toMatch(/test is successful/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

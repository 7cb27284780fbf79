/**
 * nginx (the Debian package) on loopback with its own minimal configuration, for serving generated sites and
 * the static baseline of bench:serve. Started and stopped by the bench; nothing outside its directory is used.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface Nginx {
  /** Lines of the access log ("STATUS URI"), when it was asked for. */
  accessLog: string | null;
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** Working directory for its configuration, pid, logs and temporary files; readable by the nginx workers. */
  dir: string;
  root: string;
  /** "127.0.0.1:8081" etc.; all served from the same root. */
  listen: string[];
  /** Path to probe until nginx answers 200. */
  probe: string;
  accessLog?: boolean;
  workers?: number;
  /** Extra directives inside `server { }` (e.g. `etag on;`). */
  extra?: string;
}

export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0 || existsSync(`/usr/sbin/${command}`);
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, host, done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const { dir } = options;
  const conf = join(dir, 'nginx.conf');
  const accessLog = options.accessLog === true ? join(dir, 'access.log') : null;
  writeFileSync(
    conf,
    `worker_processes ${options.workers ?? 2};
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  ${accessLog === null ? 'access_log off;' : `log_format bench '$status $request_uri';\n  access_log ${accessLog} bench;`}
  types { application/rss+xml xml; text/html html; application/atom+xml atom; }
  default_type application/octet-stream;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  server {
${options.listen.map((address) => `    listen ${address};`).join('\n')}
    root ${options.root};
    ${options.extra ?? ''}
  }
}
`,
  );
  const child: ChildProcess = spawn('nginx', ['-e', join(dir, 'nginx-error.log'), '-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: 'inherit' });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  };
  const first = options.listen[0] ?? '';
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const answer = await fetch(`http://${first}${options.probe}`).catch(() => null);
    if (answer?.ok === true) {
      await answer.arrayBuffer();
      return { accessLog, stop };
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  await stop();
  throw new Error(`nginx did not start on ${first} (see ${dir}/nginx-error.log)`);
}

#!/usr/bin/env node
// mini-kubelet setup: make sure a Docker engine answers and the images the examples and tests use exist.
//
// Idempotent and quiet when everything is in place. On Debian as root it installs docker.io and starts
// dockerd in the background (also after a killed daemon left a stale pid file or socket). Images are pulled
// when a registry answers; otherwise they are built locally from Debian's busybox-static and catatonit.
// With --tests (npm test's pretest) it also installs python3 on Debian as root, which an e2e test runs;
// kubectl is not installed here (Debian bookworm's kubernetes-client is kubectl 1.20, too old): the test run
// checks it up front and says how to get it (test/helpers/required-tools.ts).
// Plain JavaScript on purpose: it runs before the TypeScript build exists.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync, copyFileSync, readFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const LOCAL_PAUSE_IMAGE = 'mini-kubelet/pause:local';
const BUSYBOX_IMAGE = 'busybox:latest';
const DOCKERD_LOG = '/var/log/mini-kubelet-dockerd.log';
const verbose = process.argv.includes('--verbose') || process.argv.includes('-v');
const forTests = process.argv.includes('--tests');

function say(msg) { process.stderr.write(`setup: ${msg}\n`); }
function debug(msg) { if (verbose) say(msg); }

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', timeout: opts.timeout ?? 60_000, input: opts.input, maxBuffer: 64 << 20 });
}

function dockerAnswers() {
  const r = run('docker', ['version', '--format', '{{.Server.Version}}'], { timeout: 10_000 });
  return r.status === 0 && r.stdout.trim() !== '';
}

function have(cmd) { return run('sh', ['-c', `command -v ${cmd}`]).status === 0; }

function isDebianRoot() {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version') && have('apt-get');
}

function aptInstall(pkgs) {
  say(`installing ${pkgs.join(' ')} with apt-get (first run only)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { encoding: 'utf8', env, timeout: 600_000 });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], { encoding: 'utf8', env, timeout: 600_000 });
    r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], { encoding: 'utf8', env, timeout: 600_000 });
  }
  if (r.status !== 0) throw new Error(`apt-get install ${pkgs.join(' ')} failed:\n${r.stderr.slice(-2000)}`);
}

/** A zombie (a killed daemon whose parent never reaped it, e.g. under a PID 1 that does not reap) is dead. */
function isZombie(pid) {
  try { return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

function processAlive(pid) {
  try { process.kill(pid, 0); } catch { return false; }
  return !isZombie(pid);
}

/** Live (non-zombie) processes named exactly `name`. */
function liveProcesses(name) {
  const r = run('pgrep', ['-x', name]);
  if (r.status !== 0) return [];
  return r.stdout.split('\n').map(Number).filter((pid) => pid > 0 && processAlive(pid));
}

function clearStaleDaemonFiles() {
  // A dockerd killed with -9 leaves its pid files and sockets; a new dockerd refuses to start over them. A pid
  // that names a zombie counts as stale too: dockerd (and its containerd check) would take it for alive.
  for (const [pidFile, extra] of [
    ['/var/run/docker.pid', ['/var/run/docker.sock']],
    ['/var/run/docker/containerd/containerd.pid', ['/var/run/docker/containerd/containerd.sock']],
  ]) {
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (pid > 0 && processAlive(pid)) continue;
    debug(`removing stale ${pidFile}`);
    for (const f of [pidFile, ...extra]) rmSync(f, { force: true });
  }
}

async function startDockerd() {
  // A dockerd that exists but does not answer may be starting (wait for it) or shutting down after a
  // SIGTERM (wait until it is gone, then start a new one). At most a few starts.
  const deadline = Date.now() + 90_000;
  let starts = 0;
  let waiting = false;
  while (Date.now() < deadline) {
    if (dockerAnswers()) return;
    if (liveProcesses('dockerd').length === 0 && starts < 3) {
      clearStaleDaemonFiles();
      say(`starting dockerd in the background (log: ${DOCKERD_LOG})`);
      const out = openSync(DOCKERD_LOG, 'a');
      const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', out, out] });
      child.unref();
      starts++;
    } else if (!waiting) {
      debug('a dockerd process exists; waiting for it to answer (or to finish shutting down)');
      waiting = true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`dockerd did not answer within 90 s; see ${DOCKERD_LOG}`);
}

async function ensureDocker() {
  if (dockerAnswers()) { debug('docker answers'); return; }
  if (!isDebianRoot()) {
    throw new Error('no Docker engine answers. Start Docker (e.g. `sudo systemctl start docker` or Docker Desktop), then run `npm run setup` again.');
  }
  if (!have('dockerd')) aptInstall(['docker.io']);
  await startDockerd();
}

function imageExists(ref) {
  return run('docker', ['image', 'inspect', ref], { timeout: 20_000 }).status === 0;
}

function tryPull(ref) {
  const r = run('docker', ['pull', '-q', ref], { timeout: 30_000 });
  return r.status === 0;
}

function ensureDebianBinary(path, pkg) {
  if (existsSync(path)) return;
  if (!isDebianRoot()) throw new Error(`${path} is missing: install the Debian package ${pkg}`);
  aptInstall([pkg]);
}

function importRootfs(rootfs, ref, changes) {
  const tar = spawnSync('tar', ['-C', rootfs, '-c', '.'], { maxBuffer: 256 << 20 });
  if (tar.status !== 0) throw new Error(`tar of ${rootfs} failed`);
  const args = ['import'];
  for (const c of changes) args.push('-c', c);
  args.push('-', ref);
  const r = spawnSync('docker', args, { input: tar.stdout, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`docker import ${ref} failed: ${r.stderr}`);
}

function buildBusybox() {
  ensureDebianBinary('/bin/busybox', 'busybox-static');
  const file = run('file', ['-L', '/bin/busybox']).stdout ?? '';
  if (file.includes('dynamically')) throw new Error('/bin/busybox is dynamically linked: install busybox-static');
  const root = mkdtempSync(join(tmpdir(), 'mk-busybox-'));
  try {
    for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'tmp', 'root', 'home', 'var/www', 'proc', 'sys', 'dev']) mkdirSync(join(root, d), { recursive: true });
    chmodSync(join(root, 'tmp'), 0o1777);
    copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
    chmodSync(join(root, 'bin/busybox'), 0o755);
    const applets = execFileSync('/bin/busybox', ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const a of applets) {
      const target = join(root, a);
      if (a === 'bin/busybox' || existsSync(target)) continue;
      mkdirSync(join(target, '..'), { recursive: true });
      symlinkSync('/bin/busybox', target);
    }
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n');
    importRootfs(root, BUSYBOX_IMAGE, ['ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'CMD ["sh"]']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function buildPause() {
  ensureDebianBinary('/usr/bin/catatonit', 'catatonit');
  const root = mkdtempSync(join(tmpdir(), 'mk-pause-'));
  try {
    copyFileSync('/usr/bin/catatonit', join(root, 'catatonit'));
    chmodSync(join(root, 'catatonit'), 0o755);
    importRootfs(root, LOCAL_PAUSE_IMAGE, ['ENTRYPOINT ["/catatonit", "-P"]']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function ensureImages() {
  if (!imageExists(BUSYBOX_IMAGE)) {
    if (tryPull(BUSYBOX_IMAGE)) say(`pulled ${BUSYBOX_IMAGE}`);
    else { say(`no registry answers: building ${BUSYBOX_IMAGE} from Debian's busybox-static`); buildBusybox(); }
  }
  if (!imageExists(LOCAL_PAUSE_IMAGE)) {
    say(`building the local pause image ${LOCAL_PAUSE_IMAGE} from Debian's catatonit`);
    buildPause();
  }
}

/** Programs the tests run besides Docker that apt can give: python3 (test/e2e/kubectl-agent.test.ts). */
function ensureTestPrograms() {
  if (have('python3')) return;
  if (isDebianRoot()) aptInstall(['python3']);
  // Elsewhere the test run names what is missing before any test starts (test/helpers/required-tools.ts).
}

try {
  await ensureDocker();
  await ensureImages();
  if (forTests) ensureTestPrograms();
  debug('all in place');
} catch (err) {
  say(`failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

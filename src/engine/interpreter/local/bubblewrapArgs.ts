/**
 * The bubblewrap command line for the local Python runner. What the sandbox sees:
 * - read-only: /usr (and the /bin, /lib... links or directories next to it), a short list of
 *   /etc files Python, BLAS and matplotlib read, and Threadwork's helper modules at /opt/threadwork;
 * - read-write: the session's work folder at /mnt/data and an outbox at /mnt/outbox;
 * - private: /tmp and /dev/shm (size-capped tmpfs), /proc, a minimal read-only /dev; the
 *   sandbox's own root is read-only, so nothing else can be written;
 * - nothing else: no /home, /root, workspace or /run; no network (a fresh, empty network
 *   namespace); a new user namespace as an unprivileged uid with no capabilities that cannot
 *   create further namespaces; its own session and pid namespace, torn down with bwrap.
 */
import { lstatSync, readlinkSync } from 'node:fs';

export interface SandboxLayout {
  workDir: string;
  outboxDir: string;
  helpersDir: string;
  pythonPath: string;
  /** Size of the private /tmp. */
  tmpBytes: number;
  /** Extra host paths made visible read-only at the same place (e.g. a venv outside /usr). */
  extraReadOnlyPaths: string[];
  env: Record<string, string>;
}

const SYSTEM_TOP_LEVEL = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

const ETC_READ_ONLY = [
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/localtime',
  '/etc/fonts',
  '/etc/matplotlibrc',
  '/etc/mime.types',
  '/etc/python3',
];

export const SANDBOX_HELPERS_DIR = '/opt/threadwork';
export const SANDBOX_DATA_DIR = '/mnt/data';
export const SANDBOX_OUTBOX_DIR = '/mnt/outbox';
const NOBODY = '65534';

function systemDirectories(): string[] {
  const args: string[] = ['--ro-bind', '/usr', '/usr'];
  for (const path of SYSTEM_TOP_LEVEL) {
    try {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(path), path);
      else if (stat.isDirectory()) args.push('--ro-bind', path, path);
    } catch {
      // not on this system
    }
  }
  return args;
}

export function bubblewrapArgs(layout: SandboxLayout, command: string[]): string[] {
  const env = Object.entries(layout.env).flatMap(([name, value]) => ['--setenv', name, value]);
  return [
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--uid', NOBODY,
    '--gid', NOBODY,
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    ...systemDirectories(),
    ...ETC_READ_ONLY.flatMap((path) => ['--ro-bind-try', path, path]),
    ...layout.extraReadOnlyPaths.flatMap((path) => ['--ro-bind', path, path]),
    '--proc', '/proc',
    '--dev', '/dev',
    '--size', String(layout.tmpBytes), '--tmpfs', '/tmp',
    '--size', String(layout.tmpBytes), '--tmpfs', '/dev/shm',
    '--ro-bind', layout.helpersDir, SANDBOX_HELPERS_DIR,
    '--bind', layout.workDir, SANDBOX_DATA_DIR,
    '--bind', layout.outboxDir, SANDBOX_OUTBOX_DIR,
    // The sandbox's root and /dev are in-memory file systems without a size cap: freeze them.
    '--remount-ro', '/dev',
    '--remount-ro', '/',
    '--chdir', SANDBOX_DATA_DIR,
    '--setenv', 'HOME', '/tmp',
    '--setenv', 'PATH', '/usr/local/bin:/usr/bin:/bin',
    '--setenv', 'LANG', 'C.UTF-8',
    '--setenv', 'TW_OUTBOX', SANDBOX_OUTBOX_DIR,
    ...env,
    '--',
    layout.pythonPath,
    ...command,
  ];
}

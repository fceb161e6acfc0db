/**
 * cluster-up and cluster-down as a user meets them: stale state from a killed
 * run, a port already taken, a missing tool, a full disk, and a teardown that
 * leaves nothing behind. Destructive: it stops and restarts the shared cluster,
 * so the test runner starts it on its own, after every other suite.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterDir, runScript } from './support.js';

const runDir = process.env.VIBE_RUN_DIR ?? '/run/vibe-operator';
const stateDir = process.env.VIBE_STATE_DIR ?? '/var/lib/vibe-operator';
/** Whichever checkout started it: one cluster per machine. */
const netpolEntry = '/test/cluster/netpol/main.ts';
const cacheBin = path.join(
  process.env.VIBE_CACHE ?? path.join(os.homedir(), '.cache', 'vibe-operator'),
  'bin',
);

/**
 * Processes whose binary is one the cluster built, whose command line names its run dir, that live
 * in its cgroup, or that are its NetworkPolicy enforcer (a Node process running from the checkout).
 * Another cluster on the machine (the control plane alone, with its own directories) is not ours:
 * its components name their own certificates, never this cluster's directory.
 */
function clusterProcesses(): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const exe = fs.readlinkSync(`/proc/${pid}/exe`);
      const cgroup = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      if (cmdline.includes('/pki/') && !cmdline.includes(`${clusterDir}/`)) continue;
      if (
        cmdline.includes(`${runDir}/`) ||
        exe.includes('/vibe-operator/') ||
        cmdline.startsWith(cacheBin) ||
        cmdline.includes(netpolEntry) ||
        cgroup.includes(':/vibe-node/')
      ) {
        const state = /^State:\s*(.*)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
        found.push(`${pid} [${state}] ${cmdline.slice(0, 120)}`);
      }
    } catch {
      // The process ended while we looked, or is a kernel thread.
    }
  }
  return found;
}

/** The host's nftables tables (kube-proxy's belong in the node's namespace, never here). */
function hostNftTables(): string[] {
  return execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l !== '');
}

/** The node namespace's nftables tables, while it exists. */
function nodeNftTables(): string[] {
  const listed = spawnSync('ip', ['netns', 'exec', 'vibe-node', 'nft', 'list', 'tables'], {
    encoding: 'utf8',
  });
  return listed.status === 0 ? listed.stdout.split('\n').filter((l) => l !== '') : [];
}

/** The images imported into the node's containerd, while it runs. */
function nodeImages(): string[] {
  const socket = `${runDir}/containerd/containerd.sock`;
  if (!fs.existsSync(socket)) return [];
  return execFileSync(
    path.join(cacheBin, 'ctr'),
    ['--address', socket, '-n', 'k8s.io', 'images', 'ls', '-q'],
    {
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter((l) => l.startsWith('localhost/vibe/'));
}

/** The host's iptables and ip6tables rules and chains, without counters. */
function iptablesRules(): string[] {
  return ['iptables-save', 'ip6tables-save'].flatMap((tool) =>
    execFileSync(tool, { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.replace(/\[\d+:\d+\]/, '')),
  );
}

/**
 * Processes an earlier cluster-down on this machine could not end (what another suite's cluster
 * left, seen before this suite started one): reported, never charged to the cluster this suite runs.
 */
const strays = new Set<string>();

function leftovers() {
  const mountinfo = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  return {
    processes: clusterProcesses().filter((p) => !strays.has(p.split(' ')[0]!)),
    mounts: mountinfo.split('\n').filter((l) => l.includes(` ${runDir}/`) || l.includes(` ${stateDir}/`)),
    netns: execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith('vibe-node')),
    links: execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes('vibe-')),
    iptables: iptablesRules(),
    nftables: hostNftTables(),
    nodeNftables: nodeNftTables(),
    images: nodeImages(),
    cgroups: fs.readdirSync('/sys/fs/cgroup').filter((c) => fs.existsSync(`/sys/fs/cgroup/${c}/vibe-node`)),
    stateDirs: [runDir, stateDir, clusterDir].filter((d) => fs.existsSync(d)),
  };
}

afterAll(() => {
  // Leave the cluster as the runner found it: up.
  runScript('up.sh');
});

describe('cluster-up and cluster-down', () => {
  it('cluster-down leaves no process (Traefik included), mount, network namespace, link, iptables rule, nftables table, image or cgroup behind', () => {
    expect(runScript('down.sh').status).toBe(0);
    for (const stray of clusterProcesses()) {
      console.warn(`a process outlived cluster-down before this suite's cluster started: ${stray}`);
      strays.add(stray.split(' ')[0]!);
    }
    const before = { iptables: iptablesRules(), nftables: hostNftTables() };
    expect(runScript('up.sh').status).toBe(0);
    const up = leftovers();
    expect(up.processes.length).toBeGreaterThanOrEqual(8);
    expect(up.processes.some((p) => / \S*\/kube-proxy --config /.test(p))).toBe(true);
    // The ingress controller is a pod: its process and its image must go too.
    expect(up.processes.filter((p) => p.includes('/traefik '))).toHaveLength(1);
    expect(up.nodeNftables).toEqual(
      expect.arrayContaining(['table ip kube-proxy', 'table ip6 kube-proxy', 'table inet vibe-netpol']),
    );
    expect(up.images).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^localhost\/vibe\/coredns:/),
        expect.stringMatching(/^localhost\/vibe\/kubectl:/),
        expect.stringMatching(/^localhost\/vibe\/traefik:/),
      ]),
    );
    const down = runScript('down.sh');
    expect(down.status).toBe(0);
    expect(leftovers()).toEqual({
      processes: [],
      mounts: [],
      netns: [],
      links: [],
      iptables: before.iptables,
      nftables: before.nftables,
      nodeNftables: [],
      images: [],
      cgroups: [],
      stateDirs: [],
    });
  });

  it('cleans up a stale cluster left by a killed run, then starts', () => {
    expect(runScript('up.sh').status).toBe(0);
    const pids = fs
      .readdirSync(path.join(clusterDir, 'pids'))
      .map((f) => fs.readFileSync(path.join(clusterDir, 'pids', f), 'utf8').trim());
    expect(pids.length).toBe(8);
    spawnSync('kill', ['-KILL', ...pids]);
    const up = runScript('up.sh');
    expect(up.stderr).toContain('found a stale cluster from an earlier run');
    expect(up.status).toBe(0);
    expect(runScript('status.sh').status).toBe(0);
  });

  it('names the process holding a port it needs, and starts nothing', async () => {
    expect(runScript('down.sh').status).toBe(0);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(26443, '127.0.0.1', resolve));
    try {
      const up = runScript('up.sh', { VIBE_APISERVER_PORT: '26443' });
      expect(up.status).not.toBe(0);
      expect(up.stderr).toMatch(/port 26443, needed by kube-apiserver, is taken by node \(pid \d+\)/);
      expect(leftovers().processes).toEqual([]);
    } finally {
      squatter.close();
    }
  });

  it('says which tool is missing and how to install it', () => {
    // A PATH with every usual command except openssl.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'no-openssl-'));
    for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
      for (const tool of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
        const link = path.join(bin, tool);
        if (tool !== 'openssl' && !fs.existsSync(link)) fs.symlinkSync(path.join(dir, tool), link);
      }
    }
    const up = runScript('up.sh', { PATH: bin });
    fs.rmSync(bin, { recursive: true });
    expect(up.status).not.toBe(0);
    expect(up.stderr).toContain("'openssl' is not installed. Install it with 'apt-get install openssl'.");
  });

  it('refuses to build into a cache without room, and says how much it needs', () => {
    const tiny = fs.mkdtempSync(path.join(os.tmpdir(), 'tiny-cache-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', tiny]);
    try {
      const build = runScript('build.sh', { VIBE_CACHE: tiny }, ['etcd']);
      expect(build.status).not.toBe(0);
      expect(build.stderr).toMatch(/only \d+ MiB free under .*; the build needs about 6144 MiB/);
    } finally {
      execFileSync('umount', [tiny]);
      fs.rmdirSync(tiny);
    }
  });
});

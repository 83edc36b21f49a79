// The agent's flag table: kubelet names, both value forms, typed values, "did you mean", the help text.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_FLAGS, FlagError, parseAgentFlags, renderHelp } from '../../../agent/cli/flags.js';
import { resolveKubeletConfig } from '../../../agent/config/kubelet-config.js';
import { thrown } from '../../helpers/unconditional.js';

const error = (argv: string[]): string => {
  const e = thrown(() => parseAgentFlags(argv));
  expect(e).toBeInstanceOf(FlagError);
  return (e as Error).message;
};

describe('parseAgentFlags', () => {
  it('reads every kubelet flag, as --flag value and --flag=value', () => {
    const p = parseAgentFlags([
      '--pod-manifest-path', 'examples', '--manifest-url=http://127.0.0.1:8080/pods', '--manifest-url-header', 'a:hello,b:again',
      '--manifest-url-header=b:beautiful', '--file-check-frequency', '1s', '--http-check-frequency=500ms', '--hostname-override', 'Node-1',
      '--address=0.0.0.0', '--read-only-port', '0', '--root-dir', '/tmp/mk', '--pod-infra-container-image', 'pause:3.9', '--max-pods=20',
      '--config', 'kubelet.yaml', '--v=3', '--strict', '--token-file', 'tok',
    ]);
    expect(p.help).toBe(false);
    expect(p.configFile).toBe(resolve('kubelet.yaml'));
    expect(p.flags).toEqual({
      staticPodPath: resolve('examples'), staticPodURL: 'http://127.0.0.1:8080/pods', staticPodURLHeader: { a: ['hello'], b: ['again', 'beautiful'] },
      fileCheckFrequencyMs: 1000, httpCheckFrequencyMs: 500, nodeName: 'node-1', address: '0.0.0.0', readOnlyPort: 0, rootDir: '/tmp/mk',
      podInfraContainerImage: 'pause:3.9', maxPods: 20, verbosity: 3, strict: true, tokenFile: resolve('tok'),
    });
  });

  it('returns nothing for no flags', () => {
    expect(parseAgentFlags([])).toEqual({ flags: {}, help: false });
  });

  it('has short forms -v and -h, and boolean values', () => {
    expect(parseAgentFlags(['-v', '4']).flags.verbosity).toBe(4);
    expect(parseAgentFlags(['-v=2']).flags.verbosity).toBe(2);
    expect(parseAgentFlags(['-h']).help).toBe(true);
    expect(parseAgentFlags(['--help']).help).toBe(true);
    expect(parseAgentFlags(['--strict=false']).flags.strict).toBe(false);
  });

  it('keeps a header value with colons whole', () => {
    expect(parseAgentFlags(['--manifest-url-header', 'Authorization:Bearer a:b']).flags.staticPodURLHeader).toEqual({ Authorization: ['Bearer a:b'] });
  });

  it.each<[string[], RegExp]>([
    [['--pod-manifest-dir', 'x'], /unknown flag: --pod-manifest-dir \(did you mean --pod-manifest-path\?\)/],
    [['--manifest-path=x'], /did you mean --pod-manifest-path\?/],
    [['--hostname', 'n'], /did you mean --hostname-override\?/],
    [['--readonly-port', '1'], /did you mean --read-only-port\?/],
    [['--node-name', 'n'], /did you mean --hostname-override\?/],
    [['--verbose'], /did you mean --v\?/],
    [['--xyzzy'], /unknown flag: --xyzzy; see mini-kubelet agent --help/],
    [['-x'], /unknown flag: -x/],
    [['examples'], /unexpected argument "examples".*--pod-manifest-path examples/],
    [['--pod-manifest-path'], /flag needs an argument: --pod-manifest-path DIR/],
    [['--pod-manifest-path', '--v', '2'], /flag needs an argument: --pod-manifest-path/],
    [['--file-check-frequency', '5'], /invalid argument "5" for "--file-check-frequency" flag: time: missing unit in duration "5"; write "5s"/],
    [['--http-check-frequency=1d'], /invalid argument "1d" for "--http-check-frequency" flag: time: unknown unit "d"/],
    [['--max-pods', 'ten'], /invalid argument "ten" for "--max-pods" flag: must be an integer/],
    [['--strict=maybe'], /invalid argument "maybe" for "--strict" flag: must be true or false/],
    [['--manifest-url-header', 'novalue'], /invalid argument "novalue" for "--manifest-url-header" flag: "novalue" is not key:value/],
    [['--max-pods', '1', '--max-pods', '2'], /flag --max-pods given more than once/],
  ])('%j → %s', (argv, msg) => {
    expect(error(argv)).toMatch(msg);
  });

  it('feeds resolveKubeletConfig, flags winning', () => {
    const c = resolveKubeletConfig(undefined, parseAgentFlags(['--file-check-frequency', '2s', '--hostname-override', 'lab-node']).flags);
    expect(c.fileCheckFrequencyMs).toBe(2000);
    expect(c.nodeName).toBe('lab-node');
  });
});

describe('the flag table', () => {
  it('has the kubelet names, each with a description', () => {
    expect(AGENT_FLAGS.map((f) => f.name)).toEqual(expect.arrayContaining([
      'pod-manifest-path', 'manifest-url', 'manifest-url-header', 'file-check-frequency', 'http-check-frequency', 'hostname-override',
      'address', 'read-only-port', 'root-dir', 'pod-infra-container-image', 'max-pods', 'config', 'v', 'strict', 'token-file', 'help',
    ]));
    for (const f of AGENT_FLAGS) expect(f.description.length).toBeGreaterThan(5);
  });

  it('renders a help text with every flag, its argument and default', () => {
    const help = renderHelp(AGENT_FLAGS);
    for (const f of AGENT_FLAGS) expect(help).toContain(`--${f.name}`);
    expect(help).toMatch(/--file-check-frequency DURATION +Full re-list/);
    expect(help).toContain('(default: 20s)');
    expect(help).toContain('(default: 10255)');
    expect(help).toMatch(/-v, --v LEVEL/);
    expect(help).toContain('(repeatable)');
    for (const line of help.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

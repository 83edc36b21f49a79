// agent/cli/commands/agent.ts — `mini-kubelet agent`: flags + config file → a kubelet; SIGTERM/SIGINT stop it
// within a few seconds and leave the pods running, as the kubelet does. With --kubeconfig the kubelet runs
// alone as a client of that API server; otherwise the composition root's `startNode` (cmd/) runs the control
// plane and the kubelet together; with the API disabled (apiEnabled: false) the kubelet runs standalone.
import { parseAgentFlags, renderHelp, AGENT_FLAGS } from '../flags.js';
import { resolveKubeletConfig } from '../../config/kubelet-config.js';
import { createLogger, levelForVerbosity } from '../../log.js';
import { startKubelet, type Kubelet, type KubeletDeps } from '../../kubelet.js';
import type { KubeletConfig } from '../../config/kubelet-config.js';
import { errorLine } from '../../../cri/errors.js';
import { clientFromKubeconfig } from '../../../client/kubeconfig.js';

/** What the composition root supplies: the control plane and the kubelet together (cmd/single-node.ts). */
export interface AgentHooks {
  readonly startNode?: (config: KubeletConfig, deps: KubeletDeps) => Promise<Kubelet>;
}

export async function runAgent(argv: string[], hooks: AgentHooks = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseAgentFlags(argv);
  } catch (err) {
    process.stderr.write(`${errorLine(err)}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`Usage: mini-kubelet agent [flags]\n\nRuns the node agent: pods from a manifest folder, a URL and the API, on Docker.\n\nFlags:\n${renderHelp(AGENT_FLAGS)}`);
    return 0;
  }
  let config;
  try {
    config = resolveKubeletConfig(parsed.configFile, parsed.flags);
  } catch (err) {
    process.stderr.write(`${errorLine(err)}\n`);
    return 2;
  }
  const log = createLogger({ level: levelForVerbosity(config.verbosity ?? 0) });
  let kubelet: Kubelet;
  try {
    // MK_EXTRA_LABELS=k=v,k=v labels every object the agent makes (test runs use it for cleanup).
    const extraLabels = Object.fromEntries((process.env.MK_EXTRA_LABELS ?? '').split(',').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    if (config.kubeconfig) {
      const client = clientFromKubeconfig(config.kubeconfig);
      log.info({ kubeconfig: config.kubeconfig, server: client.server }, 'Running the kubelet alone, as a client of this API server');
      kubelet = await startKubelet(config, { log, extraLabels, client });
    } else if (config.apiEnabled && hooks.startNode) {
      kubelet = await hooks.startNode(config, { log, extraLabels });
    } else {
      kubelet = await startKubelet(config, { log, extraLabels });
    }
  } catch (err) {
    log.error({ err: errorLine(err) }, 'mini-kubelet could not start');
    return 1;
  }
  const stop = (sig: string) => {
    log.info({ signal: sig }, 'Shutting down; pods keep running');
    void kubelet.stop();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  await kubelet.done;
  return 0;
}

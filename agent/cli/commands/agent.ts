// agent/cli/commands/agent.ts — `mini-kubelet agent`: flags + config file → startKubelet; SIGTERM/SIGINT
// stop the agent within a few seconds and leave the pods running, as the kubelet does.
import { parseAgentFlags, renderHelp, AGENT_FLAGS } from '../flags.js';
import { resolveKubeletConfig } from '../../config/kubelet-config.js';
import { createLogger, levelForVerbosity } from '../../log.js';
import { startKubelet } from '../../kubelet.js';
import { errorLine } from '../../../cri/errors.js';

export async function runAgent(argv: string[]): Promise<number> {
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
  let kubelet;
  try {
    // MK_EXTRA_LABELS=k=v,k=v labels every object the agent makes (test runs use it for cleanup).
    const extraLabels = Object.fromEntries((process.env.MK_EXTRA_LABELS ?? '').split(',').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    kubelet = await startKubelet(config, { log, extraLabels });
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

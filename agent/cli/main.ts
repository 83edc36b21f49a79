// agent/cli/main.ts — parse the command word and hand the rest to the command. Nothing else.
import { runAgent, type AgentHooks } from './commands/agent.js';
import { runReset } from './commands/reset.js';
import { runSetup } from './commands/setup.js';
import { runTimeline } from './commands/timeline.js';
import { runKubeconfig } from './commands/kubeconfig.js';
import { runCheck } from './commands/check.js';

const USAGE = `mini-kubelet — run Kubernetes Pod manifests on Docker the way the kubelet does

Usage:
  mini-kubelet agent [flags]      run the node agent (see: mini-kubelet agent --help)
  mini-kubelet reset [flags]      stop and remove every pod and network the agent made
  mini-kubelet setup              make sure Docker answers and the local images exist
  mini-kubelet timeline POD       draw a pod's lifecycle (terminal chart, -o json, -o trace for Perfetto)
  mini-kubelet kubeconfig         write a kubectl context pointing at the agent
  mini-kubelet check FILE|DIR…    which pod fields are honoured, approximated or ignored (--strict, -o json)
  mini-kubelet --version

Every command accepts --help.
`;

export async function main(argv: string[], hooks: AgentHooks = {}): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'agent': return runAgent(rest, hooks);
    case 'reset': return runReset(rest);
    case 'setup': return runSetup(rest);
    case 'timeline': return runTimeline(rest);
    case 'kubeconfig': return runKubeconfig(rest);
    case 'check': return runCheck(rest);
    case '--version': case 'version':
      process.stdout.write('mini-kubelet 0.1.0 (kubelet semantics of Kubernetes 1.33)\n');
      return 0;
    case undefined: case '--help': case '-h': case 'help':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}

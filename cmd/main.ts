// cmd/main.ts — the `mini-kubelet` command (bin/mini-kubelet runs it): the agent's CLI with the single-process
// mode plugged in, so that `mini-kubelet agent` runs the control plane and the kubelet together.
import { main as agentMain } from '../agent/cli/main.js';
import { startSingleNode } from './single-node.js';

export const main = (argv: string[]): Promise<number> => agentMain(argv, { startNode: startSingleNode });

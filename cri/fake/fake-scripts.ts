// cri/fake/fake-scripts.ts — what a test says the fake's "processes" do: when they exit and how, how they
// react to signals, what they print as they start, and starts that fail.
//
// Owns: the scripts and the rules for picking one (the latest matching script wins; an exit script may apply
// a limited number of times). Read by fake-containers.ts at start and stop. Never changes a container itself.
import type { ContainerConfig, PodSandboxConfig } from '../api.js';

/** A container id, or a predicate over the configs it was created with. */
export type ContainerMatcher = string | ((config: ContainerConfig, sandbox: PodSandboxConfig) => boolean);
export interface ExitScript {
  /** Ms after start (on the clock) at which the container exits; ≤ 0 = inside startContainer. */
  readonly afterMs: number;
  readonly exitCode: number;
  readonly oomKilled?: boolean;
  readonly message?: string;
  /** Appended to the container's log when it exits. */
  readonly log?: string;
  /** How many starts this script applies to (default: every matching start). */
  readonly times?: number;
}
/** How a scripted process reacts to a signal: ignores it, or its handler exits with the code. */
export type SignalReaction = 'ignore' | { readonly exitCode: number };
/** A start that fails as Docker's does for a command the image lacks (exit 127, the runtime's message). */
export interface StartFailure { readonly exitCode?: number; readonly message: string }

/** What a script is matched against: a container's id and its configs. */
export interface ScriptTarget {
  readonly id: string;
  readonly config: ContainerConfig;
  readonly sandboxConfig: PodSandboxConfig;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15 };

/** SIGTERM, TERM, term or "15" → 15 (unknown names: 15). */
export function signalNumber(s: string): number {
  return SIGNALS[s.toUpperCase()] ?? SIGNALS[`SIG${s.toUpperCase()}`] ?? (Number(s) || 15);
}

function matches(m: ContainerMatcher, t: ScriptTarget): boolean {
  return typeof m === 'string' ? m === t.id : m(t.config, t.sandboxConfig);
}

function last<T extends { match: ContainerMatcher }>(list: readonly T[], t: ScriptTarget): T | undefined {
  return [...list].reverse().find((e) => matches(e.match, t));
}

export class FakeScripts {
  readonly #exits: { match: ContainerMatcher; script: ExitScript; left: number }[] = [];
  readonly #ignoreSigterm: ContainerMatcher[] = [];
  readonly #signals: { match: ContainerMatcher; signal: number; reaction: SignalReaction }[] = [];
  readonly #outputs: { match: ContainerMatcher; text: string }[] = [];
  readonly #failures: { match: ContainerMatcher; failure: StartFailure }[] = [];

  addExit(match: ContainerMatcher, script: ExitScript): void { this.#exits.push({ match, script, left: script.times ?? Infinity }); }
  ignoreSigterm(match: ContainerMatcher): void { this.#ignoreSigterm.push(match); }
  addSignal(match: ContainerMatcher, signal: string, reaction: SignalReaction): void { this.#signals.push({ match, signal: signalNumber(signal), reaction }); }
  addOutput(match: ContainerMatcher, text: string): void { this.#outputs.push({ match, text }); }
  addStartFailure(match: ContainerMatcher, failure: StartFailure): void { this.#failures.push({ match, failure }); }

  /** The exit script of this start (used up once per start), if any. */
  takeExit(t: ScriptTarget): ExitScript | undefined {
    const s = [...this.#exits].reverse().find((e) => e.left > 0 && matches(e.match, t));
    if (s) s.left--;
    return s?.script;
  }

  startFailure(t: ScriptTarget): StartFailure | undefined { return last(this.#failures, t)?.failure; }
  startOutput(t: ScriptTarget): string | undefined { return last(this.#outputs, t)?.text; }

  /** What the process does on signal n: SIGKILL always kills (137), else its script, else it dies of it (128+n). */
  reaction(t: ScriptTarget, n: number): SignalReaction {
    if (n === 9) return { exitCode: 137 };
    const scripted = [...this.#signals].reverse().find((s) => s.signal === n && matches(s.match, t));
    if (scripted) return scripted.reaction;
    return this.#ignoreSigterm.some((m) => matches(m, t)) ? 'ignore' : { exitCode: 128 + n };
  }
}

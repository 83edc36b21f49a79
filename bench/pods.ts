// bench/pods.ts — the Pod manifests the benchmarks run, as plain objects (written as JSON manifests).
//
// Every container uses busybox:latest with imagePullPolicy IfNotPresent (no registry answers here) and
// leaves at once on SIGTERM (`trap 'exit 0' TERM; sleep & wait`), with a 1 s grace period, so deleting
// pods between measurements is quick and never waits out a grace period.
const IMAGE = 'busybox:latest';

/** A main container that sleeps until SIGTERM, then exits 0 at once. */
export const SLEEPER = "trap 'exit 0' TERM; sleep 2147483647 & wait";

function container(name: string, script: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...extra };
}

function pod(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'mkb', ...labels } },
    spec: { terminationGracePeriodSeconds: 1, ...spec },
  };
}

/** Benchmark 1: an init container that exits 0 at once, then two long-running containers. */
export function startPod(name: string, withInit: boolean): Record<string, unknown> {
  return pod(name, {
    ...(withInit ? { initContainers: [{ name: 'init', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['true'] }] } : {}),
    containers: [container('a', SLEEPER), container('b', SLEEPER)],
  });
}

/** Benchmark 2 (idle): one long-running container, no probes. */
export function idlePod(name: string): Record<string, unknown> {
  return pod(name, { containers: [container('main', SLEEPER)] });
}

/** busybox httpd serving /www on 8080 in the background, then sleep until SIGTERM. */
export const HTTPD = `mkdir -p /www && echo ok > /www/index.html && httpd -p 8080 -h /www && ${SLEEPER}`;

/**
 * Benchmark 3: busybox httpd, an exec readiness probe and an http liveness probe, every 10 s (the Kubernetes
 * default). The exec probe gets timeoutSeconds 5: on a loaded 2-core machine `docker exec` alone can take
 * over the default 1 s, and the benchmark is about the agent, not about the engine's exec latency.
 */
export function probedPod(name: string): Record<string, unknown> {
  return pod(name, {
    containers: [container('web', HTTPD, {
      ports: [{ name: 'http', containerPort: 8080 }],
      readinessProbe: { exec: { command: ['test', '-f', '/www/index.html'] }, timeoutSeconds: 5 },
      livenessProbe: { httpGet: { path: '/index.html', port: 8080 } },
    })],
  });
}

/**
 * Benchmark 5: a readiness probe every second: exec (`true` in the container), or httpGet against busybox
 * httpd in the pod (a cheap handler, to tell the agent's timers from the engine's exec cost).
 */
export function fastProbePod(name: string, handler: 'exec' | 'http' = 'exec'): Record<string, unknown> {
  const probe = handler === 'exec' ? { exec: { command: ['true'] } } : { httpGet: { path: '/index.html', port: 8080 } };
  return pod(name, {
    containers: [container('main', handler === 'exec' ? SLEEPER : HTTPD, {
      readinessProbe: { ...probe, periodSeconds: 1, timeoutSeconds: 1 },
    })],
  });
}

/**
 * Benchmark 4: restartPolicy Never; container i of `count` sleeps `firstMs + i * stepMs` (plus the pod's
 * offset) and exits with code i+1, so exits are spread out and each can be timed on its own.
 */
export function exitingPod(name: string, count: number, offsetMs: number, stepMs: number): Record<string, unknown> {
  const containers = Array.from({ length: count }, (_, i) => {
    const s = ((offsetMs + i * stepMs) / 1000).toFixed(3);
    return container(`c${i}`, `sleep ${s}; exit ${i + 1}`);
  });
  return pod(name, { restartPolicy: 'Never', containers });
}

/**
 * Benchmark 6 (soak): what a pod's life exercises, bounded. An init container writing to a disk emptyDir, a
 * memory-backed emptyDir (a Docker tmpfs volume that must go with the pod) written by the web container, a
 * web container with exec readiness, http liveness and a preStop hook, and in every other pod a container
 * that crashes and is restarted (restartPolicy Always).
 */
export function soakPod(name: string, variant: number): Record<string, unknown> {
  const disk = { name: 'disk', mountPath: '/disk' };
  const scratch = { name: 'scratch', mountPath: '/scratch' };
  const crasher = variant % 2 === 0 ? [container('crasher', 'echo x > /scratch/x; sleep 1; exit 3', { volumeMounts: [scratch] })] : [];
  return pod(name, {
    volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }, { name: 'disk', emptyDir: {} }],
    initContainers: [container('init', 'echo init > /disk/init', { volumeMounts: [disk] })],
    containers: [
      container('web', `echo web > /scratch/web && ${HTTPD}`, {
        volumeMounts: [disk, scratch],
        readinessProbe: { exec: { command: ['cat', '/disk/init'] }, periodSeconds: 1 },
        livenessProbe: { httpGet: { path: '/index.html', port: 8080 }, periodSeconds: 2 },
        lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo bye > /disk/bye'] } } },
      }),
      ...crasher,
    ],
  }, { variant: String(variant % 2) });
}

// Exec probe mechanics through a fake execSync, the prober's dispatch and events, ports, Go text, metrics.
import { describe, expect, it } from 'vitest';
import { CriError } from '../../../cri/errors.js';
import { combinedOutput, execCheck, expandCommand } from '../../../probes/check/exec.js';
import { resolvePort } from '../../../probes/check/port.js';
import { goQuote, goSeconds, joinHostPort } from '../../../probes/check/go-text.js';
import { Prober, probeTiming } from '../../../probes/prober.js';
import { ProbeMetrics } from '../../../probes/metrics.js';
import { FakeClock, UID, fakeRuntime, sinks } from './helpers.js';

describe('exec probe', () => {
  it('exit 0 → success, other exit → failure, output = stdout then stderr', async () => {
    const rt = fakeRuntime(new FakeClock());
    rt.impl = (cmd) => ({ exitCode: cmd[0] === 'ok' ? 0 : 2, stdout: 'out;', stderr: 'err' });
    expect(await execCheck(rt, 'docker://abc', ['ok'], 1)).toEqual({ result: 'success', output: 'out;err' });
    expect(await execCheck(rt, 'abc', ['bad'], 5)).toEqual({ result: 'failure', output: 'out;err' });
    expect(rt.calls.map((c) => [c.containerId, c.timeoutMs])).toEqual([['abc', 1000], ['abc', 5000]]);
  });

  it('a timeout is a failure with the runtime\'s message; other runtime errors are prober errors', async () => {
    const rt = fakeRuntime(new FakeClock());
    rt.impl = () => { throw new CriError('DeadlineExceeded', 'deadline'); };
    expect(await execCheck(rt, 'abc', ['sh', '-c', 'sleep 5; echo "x"'], 1)).toEqual({ result: 'failure', output: 'command "sh -c sleep 5; echo \\"x\\"" timed out' });
    rt.impl = () => { throw new CriError('NotFound', 'No such container: abc'); };
    await expect(execCheck(rt, 'abc', ['true'], 1)).rejects.toMatchObject({ name: 'ProbeCheckError', result: 'unknown', message: 'No such container: abc' });
  });

  it('caps the output at 10 KiB', () => {
    expect(Buffer.byteLength(combinedOutput('a'.repeat(8000), 'b'.repeat(8000)))).toBe(10240);
    expect(combinedOutput('x', 'y')).toBe('xy');
  });

  it('expands $(VAR) from the static env only, as the kubelet does', () => {
    const env = [{ name: 'PORT', value: '8080' }, { name: 'FROM', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }];
    expect(expandCommand(['curl', 'localhost:$(PORT)', '$(FROM)', '$(MISSING)', '$$(PORT)', '$(PORT', 'a$b'], env))
      .toEqual(['curl', 'localhost:8080', '', '$(MISSING)', '$(PORT)', '$(PORT', 'a$b']);
  });
});

describe('prober', () => {
  const target = { pod: { uid: UID, name: 'web', namespace: 'default' }, containerID: 'docker://abc', podIP: '127.0.0.1', fieldPath: 'spec.containers{c}' };

  it('runs exec probes with the expanded command and the probe timeout, and emits Unhealthy on failure', async () => {
    const rt = fakeRuntime(new FakeClock());
    rt.impl = () => ({ exitCode: 1, stdout: 'not yet', stderr: '' });
    const s = sinks();
    const p = new Prober({ runtime: rt, events: s.eventSink });
    const out = await p.probe('Readiness', { exec: { command: ['check', '$(X)'] }, timeoutSeconds: 3 }, { ...target, container: { name: 'c', env: [{ name: 'X', value: 'y' }] } });
    expect(out).toEqual({ verdict: 'failure', result: 'failure', output: 'not yet', attempts: 1 });
    expect(rt.calls[0]).toMatchObject({ containerId: 'abc', cmd: ['check', 'y'], timeoutMs: 3000 });
    expect(s.events).toEqual([{ podUID: UID, type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed: not yet', fieldPath: 'spec.containers{c}' }]);
  });

  it('a bad port name is an error: retried 3 times, event with the Atoi text', async () => {
    const s = sinks();
    const p = new Prober({ runtime: fakeRuntime(new FakeClock()), events: s.eventSink });
    const out = await p.probe('Liveness', { tcpSocket: { port: 'metrics' } }, { ...target, container: { name: 'c' } });
    expect(out).toEqual({ result: 'error', output: '', error: 'strconv.Atoi: parsing "metrics": invalid syntax', attempts: 3 });
    expect(s.events.map((e) => e.message)).toEqual(['Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing "metrics": invalid syntax']);
  });

  it('a probe without a handler is an error', async () => {
    const s = sinks();
    const p = new Prober({ runtime: fakeRuntime(new FakeClock()), events: s.eventSink });
    const out = await p.probe('Startup', {}, { ...target, container: { name: 'c' } });
    expect(out.error).toBe(`missing probe handler for web_default(${UID}):c`);
  });

  it('applies the Kubernetes defaults', () => {
    expect(probeTiming({})).toEqual({ initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    expect(probeTiming({ periodSeconds: 0, timeoutSeconds: 0, failureThreshold: 0, initialDelaySeconds: 5 }))
      .toEqual({ initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
  });
});

describe('helpers', () => {
  it('resolves ports by number, name, or numeric string', () => {
    const c = { ports: [{ name: 'http', containerPort: 8080 }] };
    expect(resolvePort(80, c)).toBe(80);
    expect(resolvePort('http', c)).toBe(8080);
    expect(resolvePort('9090', c)).toBe(9090);
    expect(() => resolvePort(0, c)).toThrow('invalid port number: 0');
  });

  it('prints like Go', () => {
    expect(goQuote('a "b"\n\tc\\')).toBe('"a \\"b\\"\\n\\tc\\\\"');
    expect(goQuote('\x00é')).toBe('"\\x00é"');
    expect([0, 1, 59, 60, 90, 3600, 3661].map(goSeconds)).toEqual(['0s', '1s', '59s', '1m0s', '1m30s', '1h0m0s', '1h1m1s']);
    expect(joinHostPort('::1', 80)).toBe('[::1]:80');
  });

  it('renders prober metrics in Prometheus text format', async () => {
    const m = new ProbeMetrics();
    const l = { probeType: 'Readiness', container: 'c', pod: 'web', namespace: 'default', podUID: UID };
    m.inc(l, 'successful');
    m.inc(l, 'successful');
    m.observeDuration(l, 0.02);
    const text = await m.render();
    expect(text).toContain('# TYPE prober_probe_total counter');
    expect(text).toContain(`prober_probe_total{container="c",namespace="default",pod="web",pod_uid="${UID}",probe_type="Readiness",result="successful"} 2`);
    expect(text).toContain('prober_probe_duration_seconds_bucket{le="0.025",container="c",namespace="default",pod="web",probe_type="Readiness"} 1');
    expect(text).toContain('prober_probe_duration_seconds_count{container="c",namespace="default",pod="web",probe_type="Readiness"} 1');
  });
});

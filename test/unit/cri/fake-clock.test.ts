// Unit tests for cri/fake/fake-clock.ts (and the real-time systemClock of cri/clock.ts it stands in for).
import { describe, expect, it } from 'vitest';
import { FAKE_CLOCK_START, FakeClock } from '../../../cri/fake/fake-clock.js';
import { systemClock, type Clock } from '../../../cri/clock.js';

describe('FakeClock', () => {
  it('starts at a fixed epoch time (or the given one) and moves only on advance', async () => {
    expect(new FakeClock().now()).toBe(FAKE_CLOCK_START);
    const clock = new FakeClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.advance(250);
    expect(clock.now()).toBe(1_250);
    await clock.advance(-5);
    expect(clock.now()).toBe(1_250);
  });

  it('is usable wherever a Clock is expected', () => {
    const c: Clock = new FakeClock();
    expect(typeof c.sleep).toBe('function');
  });

  it('fires due timers in time order, then creation order, with now() at their due time', async () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 100);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`late@${clock.now()}`), 500);
    await clock.advance(200);
    expect(fired).toEqual(['a@100', 'b@200', 'c@200']);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerAt).toBe(500);
    await clock.advance(299);
    expect(fired).toHaveLength(3);
    await clock.advance(1);
    expect(fired).toEqual(['a@100', 'b@200', 'c@200', 'late@500']);
  });

  it('fires zero-delay timers on advance(0), and not before', async () => {
    const clock = new FakeClock(0);
    let fired = false;
    clock.setTimeout(() => { fired = true; }, 0);
    await Promise.resolve();
    expect(fired).toBe(false);
    await clock.advance(0);
    expect(fired).toBe(true);
  });

  it('does not fire a cancelled timer', async () => {
    const clock = new FakeClock(0);
    let fired = false;
    const t = clock.setTimeout(() => { fired = true; }, 10);
    t.cancel();
    t.cancel();
    await clock.advance(100);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('lets async chains progress between timers, so a sleep loop runs every iteration inside one advance', async () => {
    const clock = new FakeClock(0);
    const ticks: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(100);
        await Promise.resolve();
        ticks.push(clock.now());
      }
    })();
    await clock.advance(1_000);
    await loop;
    expect(ticks).toEqual([100, 200, 300]);
    expect(clock.now()).toBe(1_000);
  });

  it('fires timers that a timer schedules inside the window, but not past it', async () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 50);
      clock.setTimeout(() => fired.push(clock.now()), 500);
    }, 100);
    await clock.advance(200);
    expect(fired).toEqual([100, 150]);
  });

  it('rejects a sleep with the signal reason when aborted, before or during the wait', async () => {
    const clock = new FakeClock(0);
    const ac = new AbortController();
    const p = clock.sleep(1_000, ac.signal);
    ac.abort(new Error('killed'));
    await expect(p).rejects.toThrow('killed');
    expect(clock.pendingTimers).toBe(0);
    await expect(clock.sleep(10, ac.signal)).rejects.toThrow('killed');
    const plain = new AbortController();
    plain.abort();
    await expect(clock.sleep(10, plain.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('resolves a sleep whose signal never aborts', async () => {
    const clock = new FakeClock(0);
    const ac = new AbortController();
    let done = false;
    void clock.sleep(50, ac.signal).then(() => { done = true; });
    await clock.advance(49);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
  });

  it('runAllTimers jumps to each timer until none is left', async () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => { fired.push(clock.now()); clock.setTimeout(() => fired.push(clock.now()), 1_000); }, 10);
    clock.setTimeout(() => fired.push(clock.now()), 60_000);
    await clock.runAllTimers();
    expect(fired).toEqual([10, 1_010, 60_000]);
    expect(clock.now()).toBe(60_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('runAllTimers refuses to loop forever on a self-rescheduling timer', async () => {
    const clock = new FakeClock(0);
    const tick = () => { clock.setTimeout(tick, 1); };
    tick();
    await expect(clock.runAllTimers(100)).rejects.toThrow(/more than 100 timers/);
  });
});

describe('systemClock', () => {
  it('tells real time and sleeps for real', async () => {
    const before = Date.now();
    expect(Math.abs(systemClock.now() - before)).toBeLessThan(1_000);
    await systemClock.sleep(5);
    expect(Date.now() - before).toBeGreaterThanOrEqual(4);
  });

  it('runs and cancels timers', async () => {
    let fired = 0;
    systemClock.setTimeout(() => { fired++; }, 1);
    systemClock.setTimeout(() => { fired += 10; }, 1).cancel();
    await systemClock.sleep(20);
    expect(fired).toBe(1);
  });

  it('rejects a sleep when the signal aborts', async () => {
    const ac = new AbortController();
    const p = systemClock.sleep(60_000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    await expect(systemClock.sleep(1, ac.signal)).rejects.toThrow('stop');
  });
});

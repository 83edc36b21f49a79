// The runtime contract on cri/fake: every case on a fresh FakeRuntime and FakeClock (no Docker, no real time).
import { fakeHarness } from './fake-harness.js';
import { runtimeContract } from './cases.js';

runtimeContract('fake', () => fakeHarness());

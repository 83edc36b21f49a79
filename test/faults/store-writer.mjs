// Child process of test/faults/store-crash.test.ts: opens the object store (compiled dist/) in a directory
// and writes in a loop until killed — four workers, each creating, updating (with its resourceVersion, so a
// lost write would conflict) and deleting ConfigMaps of its own, payloads 1–48 KiB with their sha256.
// Before each write it prints `BEGIN <op> <name> <seq>`; after the store answered, `ACK <op> <name> <rv> <seq>`.
// Pipes are synchronous on Linux, so every printed ACK is in the parent's pipe before any later instruction.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { openStore } from '../../dist/control-plane/store/index.js';

const [dir, round] = process.argv.slice(2);
const store = await openStore({ dir, controllers: 'manual' });
const say = (line) => process.stdout.write(`${line}\n`);
say(`OPEN ${store.resourceVersion}`);

let seq = 0;
const payload = () => {
  const blob = randomBytes(randomInt(1024, 48 * 1024)).toString('base64');
  return { seq: `${round}-${++seq}`, blob, sha: createHash('sha256').update(blob).digest('hex') };
};

async function worker(w) {
  const names = Array.from({ length: 8 }, (_, i) => `w${w}-k${i}`);
  for (;;) {
    const name = names[randomInt(names.length)];
    const current = store.find('configmaps', 'default', name);
    const data = payload();
    if (!current) {
      say(`BEGIN create ${name} ${data.seq}`);
      const made = await store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
      say(`ACK create ${name} ${made.metadata.resourceVersion} ${data.seq}`);
    } else if (randomInt(4) === 0) {
      say(`BEGIN delete ${name} -`);
      const res = await store.delete('configmaps', 'default', name, { preconditions: { resourceVersion: current.metadata.resourceVersion } });
      say(`ACK delete ${name} ${res.object.metadata.resourceVersion} -`);
    } else {
      say(`BEGIN update ${name} ${data.seq}`);
      const next = await store.update('configmaps', { ...current, data });
      say(`ACK update ${name} ${next.metadata.resourceVersion} ${data.seq}`);
    }
  }
}

await Promise.all([0, 1, 2, 3].map(worker));

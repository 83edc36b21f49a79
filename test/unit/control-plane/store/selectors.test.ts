// Unit tests of control-plane/store/selectors.ts and of list: label selectors (equality and set-based),
// field selectors (metadata.name / metadata.namespace and a kind's own fields), their 400 errors, the
// spec LabelSelector, and list order, namespaces and resourceVersion.
import { describe, expect, it } from 'vitest';
import { parseFieldSelector, parseLabelSelector, selectorFromSpec, type KubeObject } from '../../../../control-plane/store/index.js';
import { thrown } from '../../../helpers/unconditional.js';
import { cm, testStore } from './helpers.js';

const sel = (s: string) => parseLabelSelector(s);
const L = { app: 'web', tier: 'front', n: '5' };

describe('label selectors', () => {
  it.each([
    ['app=web', true], ['app==web', true], ['app!=web', false], ['app!=db', true], ['missing!=x', true],
    ['app in (web, db)', true], ['app in (db)', false], ['app notin (db)', true], ['missing notin (db)', true],
    ['app', true], ['missing', false], ['!missing', true], ['!app', false],
    ['app=web,tier=front', true], ['app=web,tier in (back)', false], ['n>4', true], ['n<5', false], ['env in (a,)', false],
    ['', true],
  ])('%s → %s', (s, want) => {
    expect(sel(s).matches(L)).toBe(want);
  });

  it('objects without labels match only negative requirements', () => {
    expect([sel('!a').matches(undefined), sel('a!=b').matches(undefined), sel('a').matches(undefined), sel('a notin (x)').matches({})]).toEqual([true, true, false, true]);
  });

  it.each([
    ['app in web', `unable to parse requirement: found 'web', expected: '('`],
    ['app in (a b)', `unable to parse requirement: found 'b', expected: ',', ')'`],
    ['=x', `unable to parse requirement: found '=', expected: identifier`],
    ['-bad=x', 'unable to parse requirement: invalid label key "-bad": …'],
    ['n>x', `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`],
  ])('%s is a 400: %s', (s, message) => {
    const want = message.endsWith('…') ? expect.stringContaining(message.slice(0, -1)) : message;
    expect(thrown(() => sel(s))).toMatchObject({ code: 400, reason: 'BadRequest', message: want });
  });

  it('spec selectors: matchLabels and matchExpressions', () => {
    const s = selectorFromSpec({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }, { key: 'x', operator: 'DoesNotExist' }] });
    expect([s.matches(L), s.matches({ app: 'web' }), selectorFromSpec({}).matches(undefined)]).toEqual([true, false, true]);
  });
});

describe('field selectors', () => {
  const o = { metadata: { name: 'a', namespace: 'ns1' }, status: { phase: 'Running' } } as KubeObject & { status: { phase: string } };
  const phase = { names: ['status.phase'], get: (x: KubeObject) => ({ 'status.phase': (x as typeof o).status?.phase }) };

  it('metadata.name and metadata.namespace always; a kind adds its own fields', () => {
    expect(parseFieldSelector('metadata.name=a').matches(o)).toBe(true);
    expect(parseFieldSelector('metadata.name!=a').matches(o)).toBe(false);
    expect(parseFieldSelector('metadata.namespace=ns1,metadata.name==a').matches(o)).toBe(true);
    expect(parseFieldSelector('status.phase=Running', phase).matches(o)).toBe(true);
    expect(parseFieldSelector('status.phase!=Running', phase).matches(o)).toBe(false);
  });

  it('an unknown field or a term without an operator is a 400', () => {
    expect(thrown(() => parseFieldSelector('spec.nodeName=x'))).toMatchObject({ code: 400, message: 'field label not supported: spec.nodeName' });
    expect(thrown(() => parseFieldSelector('metadata.name'))).toMatchObject({ code: 400, message: "invalid selector: 'metadata.name'; can't understand 'metadata.name'" });
  });
});

describe('list', () => {
  it('sorted by namespace then name, one namespace or all, with selectors, at the current resourceVersion', async () => {
    const { store } = await testStore();
    await store.create('namespaces', { metadata: { name: 'b-ns' } });
    await store.create('configmaps', cm('z', {}, { labels: { app: 'web' } }));
    await store.create('configmaps', cm('a', {}, { labels: { app: 'db' } }));
    await store.create('configmaps', { metadata: { name: 'm', namespace: 'b-ns', labels: { app: 'web' } } });
    const names = (items: KubeObject[]) => items.map((x) => `${x.metadata!.namespace}/${x.metadata!.name}`);
    const all = store.list('configmaps');
    expect(names(all.items)).toEqual(['b-ns/m', 'default/a', 'default/z']);
    expect(all.resourceVersion).toBe(String(store.resourceVersion));
    expect(names(store.list('configmaps', { namespace: 'default' }).items)).toEqual(['default/a', 'default/z']);
    expect(names(store.list('configmaps', { labelSelector: 'app=web' }).items)).toEqual(['b-ns/m', 'default/z']);
    expect(names(store.list('configmaps', { fieldSelector: 'metadata.namespace=b-ns' }).items)).toEqual(['b-ns/m']);
    expect(names(store.list('configmaps', { fieldSelector: 'metadata.name=a' }).items)).toEqual(['default/a']);
    expect(store.list('secrets').items).toEqual([]);
  });

  it('a resourceVersion newer than the store is 504 Too large; an exact older one is 410', async () => {
    const { store } = await testStore();
    const rv = store.resourceVersion;
    expect(thrown(() => store.list('configmaps', { resourceVersion: String(rv + 10) }))).toMatchObject({
      code: 504, reason: 'Timeout', message: `Timeout: Too large resource version: ${rv + 10}, current: ${rv}`,
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
    });
    expect(store.list('configmaps', { resourceVersion: '1' }).resourceVersion).toBe(String(rv));
    expect(thrown(() => store.list('configmaps', { resourceVersion: '1', resourceVersionMatch: 'Exact' }))).toMatchObject({ code: 410, reason: 'Expired' });
  });
});

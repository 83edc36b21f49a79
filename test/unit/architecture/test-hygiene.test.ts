// Test hygiene, checked over test/ itself: no assertion sits where it may not run. An `expect(...)` or
// `assert(...)` inside an if/else branch, a ternary branch, a switch case, the right side of && / || / ??, or a
// catch block passes silently when its branch is not taken; assert on the value unconditionally instead
// (`await expect(p).rejects.toThrow(...)`, `expect(x).toEqual(...)` on what every path must give).
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { lineOf, parseTs, tsFilesUnder } from './ts-files.js';

/** Calls that assert: expect(...), expect.soft/poll/unreachable/..., assert(...), assert.x(...). Asymmetric
 *  matchers (expect.any, expect.objectContaining, ...) only describe a value and are not assertions. */
const EXPECT_STATICS = new Set(['soft', 'poll', 'unreachable', 'fail', 'assertions', 'hasAssertions']);

function isAssertion(node: ts.Node): node is ts.CallExpression {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text === 'expect' || callee.text === 'assert';
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    const base = callee.expression.text;
    return base === 'assert' || (base === 'expect' && EXPECT_STATICS.has(callee.name.text));
  }
  return false;
}

/** The conditional construct that holds `child` as one of its branches, if `parent` is one. */
function branchKind(parent: ts.Node, child: ts.Node): string | undefined {
  if (ts.isIfStatement(parent) && (child === parent.thenStatement || child === parent.elseStatement)) return 'if/else';
  if (ts.isConditionalExpression(parent) && (child === parent.whenTrue || child === parent.whenFalse)) return 'ternary';
  if (ts.isCatchClause(parent)) return 'catch';
  if (ts.isCaseClause(parent) || ts.isDefaultClause(parent)) return 'switch case';
  if (ts.isBinaryExpression(parent) && child === parent.right) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) return ts.tokenToString(op);
  }
  return undefined;
}

/** "file:line: expect(...) inside <kind>" for every assertion that sits in a conditional branch. */
export function conditionalAssertions(sf: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (isAssertion(node)) {
      for (let child: ts.Node = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
        const kind = branchKind(parent, child);
        if (kind) { found.push(`${sf.fileName}:${lineOf(sf, node)}: ${node.expression.getText(sf)}(...) inside ${kind} (line ${lineOf(sf, parent)})`); break; }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('the conditional-assertion scan', () => {
  it('finds assertions in if/else, ternary, switch, && and catch, and nothing else', () => {
    const sample = [
      /* 1 */ "if (ok) expect(a).toBe(1);",
      /* 2 */ "if (ok) { x(); } else { assert.equal(a, 1); }",
      /* 3 */ "ok ? expect(a).toBe(1) : undefined;",
      /* 4 */ "try { f(); } catch (err) { expect(err).toBeTruthy(); }",
      /* 5 */ "ok && expect(a).toBe(1);",
      /* 6 */ "switch (k) { case 1: expect.soft(a).toBe(1); }",
      /* 7 */ "expect(a).toEqual(ok ? expect.any(Number) : 2);",
      /* 8 */ "await expect(p).rejects.toThrow('x'); assert(ok);",
      /* 9 */ "try { expect(a).toBe(1); } finally { expect(b).toBe(2); }",
      /* 10 */ "for (const v of vs) expect(v).toBe(1);",
      /* 11 */ "if (expect(a)) f();",
    ].join('\n');
    expect(conditionalAssertions(parseTs('sample.ts', sample))).toEqual([
      'sample.ts:1: expect(...) inside if/else (line 1)',
      'sample.ts:2: assert.equal(...) inside if/else (line 2)',
      'sample.ts:3: expect(...) inside ternary (line 3)',
      'sample.ts:4: expect(...) inside catch (line 4)',
      'sample.ts:5: expect(...) inside && (line 5)',
      'sample.ts:6: expect.soft(...) inside switch case (line 6)',
    ]);
  });
});

describe('test/', () => {
  it('has no assertion inside a conditional branch or a catch block', () => {
    const files = tsFilesUnder('test');
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((f) => conditionalAssertions(parseTs(f)))).toEqual([]);
  });
});

/**
 * In a file whose tests run concurrently (`describe.concurrent`, `it.concurrent`), each test must take `expect`
 * from its context: the global one counts assertions per worker, so with `expect.requireAssertions` a test can be
 * told it made none when a concurrent test started meanwhile. Lists "file:line: <test name>" of callbacks that
 * do not destructure `expect`.
 */
export function globalExpectInConcurrentTests(sf: ts.SourceFile): string[] {
  let concurrent = false;
  const find = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'concurrent' && ts.isIdentifier(node.expression) && ['describe', 'it', 'test'].includes(node.expression.text)) concurrent = true;
    if (ts.isPropertyAssignment(node) && node.name.getText(sf) === 'concurrent' && node.initializer.kind === ts.SyntaxKind.TrueKeyword) concurrent = true;
    ts.forEachChild(node, find);
  };
  find(sf);
  if (!concurrent) return [];
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length >= 2) {
      const callee = node.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression.text : '';
      const fn = node.arguments[1]!;
      if ((name === 'it' || name === 'test') && (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
        const first = fn.parameters[0];
        const takes = !!first && ts.isObjectBindingPattern(first.name) && first.name.elements.some((e) => (e.propertyName ?? e.name).getText(sf) === 'expect');
        if (!takes) found.push(`${sf.fileName}:${lineOf(sf, node)}: ${node.arguments[0]!.getText(sf)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('concurrent tests', () => {
  it('the scan finds a concurrent test that uses the global expect', () => {
    const sample = "describe.concurrent('d', () => {\n  it('a', async () => { expect(1).toBe(1); });\n  it('b', async ({ expect }) => { expect(1).toBe(1); });\n});";
    expect(globalExpectInConcurrentTests(parseTs('sample.ts', sample))).toEqual(["sample.ts:2: 'a'"]);
    expect(globalExpectInConcurrentTests(parseTs('plain.ts', "it('a', () => { expect(1).toBe(1); });"))).toEqual([]);
  });

  it('take expect from their context in every file of test/', () => {
    expect(tsFilesUnder('test').flatMap((f) => globalExpectInConcurrentTests(parseTs(f)))).toEqual([]);
  });
});

// cri/docker/image-ref.ts — PURE: image reference grammar (name[:tag][@digest]) and the default tag.
//
// Owns: telling a malformed reference from a well-formed one before Docker sees it (so the failure is
// InvalidImageName, never a pull), and `busybox` → `busybox:latest` (Docker would pull every tag of an
// untagged name). Called by images.ts. Never resolves short names to a registry.

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const IMAGE_ID = /^(?:sha256:)?[0-9a-f]{12,64}$/;

export interface ParsedRef {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses a reference; undefined when it does not follow the grammar. */
export function parseImageRef(ref: string): ParsedRef | undefined {
  if (!ref || ref !== ref.trim() || /\s/.test(ref)) return undefined;
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (!rest || rest.length > 255) return undefined;
  const parts = rest.split('/');
  const first = parts[0]!;
  const hasDomain = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  if (hasDomain && !DOMAIN.test(first)) return undefined;
  const path = hasDomain ? parts.slice(1) : parts;
  if (!path.length || !path.every((p) => PATH_COMPONENT.test(p))) return undefined;
  return { name: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** True for an image ID (`sha256:…` or a hex prefix), which Docker resolves locally without a registry. */
export function isImageId(ref: string): boolean {
  return IMAGE_ID.test(ref);
}

/** The reference with `:latest` added when it has neither tag nor digest; undefined when malformed. */
export function withDefaultTag(ref: string): string | undefined {
  const p = parseImageRef(ref);
  if (!p) return undefined;
  return p.tag === undefined && p.digest === undefined ? `${ref}:latest` : ref;
}

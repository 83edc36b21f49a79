// client/warnings.ts — the texts of an answer's Warning headers (RFC 7234 §5.5, as kube-apiserver sends them:
// `299 - "apps/v1beta1 Deployment is deprecated in v1.8+, …"`), several per header or several headers. Pure.

const WARNING = /\d{3}\s+\S+\s+"((?:[^"\\]|\\.)*)"/g;

/** `299 - "text"` → `text`, for every warning in the header value(s); a value not in that form is kept whole. */
export function warningTexts(header: string | string[] | undefined): string[] {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return values.flatMap((v) => {
    const found = [...v.matchAll(WARNING)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
    return found.length ? found : v.trim() ? [v.trim()] : [];
  });
}

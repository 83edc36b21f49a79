// agent/util/bounded-line.ts — hostile text (file names, parser messages, user values) made safe for one
// log or error line. Pure.

/**
 * One bounded line of hostile text: control characters (newlines included: a file name or a JSON parser
 * message may hold them) become spaces or `?`, and anything past `max` characters is cut with `...`.
 */
export function boundedLine(s: string, max: number): string {
  const head = s.length > max + 1 ? s.slice(0, max + 1) : s;
  const one = head.replace(/[\r\n\t\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '?');
  if (one.length <= max && s.length <= max) return one;
  let cut = one.slice(0, max - 3);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1); // never half a surrogate pair
  return `${cut}...`;
}


/** Parsing and printing of sizes and addresses as the setup screen shows them. */

export function parseSize(s: string): number | string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(s);
  if (!m) return `'${s}' is not a size (examples: 128M, 1G, 1048576)`;
  const mult = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2].toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * mult);
}

export function parseAddress(s: string): number | string {
  const t = s.trim().replace(/_/g, '');
  const v = /^0x[0-9a-f]+$/i.test(t) ? Number(t) : /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(v)) return `'${s}' is not an address (hex like 0x40000000)`;
  return v;
}

export function formatSize(n: number): string {
  for (const [u, k] of [
    ['T', 2 ** 40],
    ['G', 2 ** 30],
    ['M', 2 ** 20],
    ['K', 2 ** 10],
  ] as const) {
    if (n >= k && n % k === 0) return `${n / k}${u}`;
  }
  return String(n);
}

export const hex = (n: number): string => '0x' + n.toString(16);

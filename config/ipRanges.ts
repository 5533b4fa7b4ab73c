/**
 * IPv4 ranges as the network rules of this stack take them: a single address (`203.0.113.7`) or
 * CIDR (`203.0.113.0/24`). Pure functions, no I/O.
 *
 * Why these checks:
 * - Only public internet addresses are allowed in IP rules: "IP network rules are only allowed for
 *   public internet IP addresses. IP address ranges reserved for private networks (as defined in
 *   RFC 1918) aren't allowed" (Learn "Configure Azure Storage firewalls and virtual networks",
 *   storage/common/storage-network-security.md; the hub's IP rules say the same: "Reserved IP
 *   address ranges aren't allowed ... private addresses that start with 10, 172.16 to 172.31, and
 *   192.168", azure-ai-docs articles/ai-foundry/how-to/hub-configure-private-link.md).
 * - IPv4 only ("You can only use IPv4 addresses", same hub page).
 * - Storage refuses /31 and /32 prefixes ("Small address ranges using /31 or /32 prefix sizes are
 *   not supported. Configure these ranges using individual IP address rules", storage page), so
 *   `storageIpRules` writes them as single addresses.
 */

export interface Ipv4Range {
  /** First address, as an unsigned 32-bit number. */
  start: number;
  /** Prefix length, 0-32. */
  prefix: number;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

/** Parses `a.b.c.d` or `a.b.c.d/n`; undefined when malformed or when host bits are set (`10.0.0.1/24`). */
export function parseIpv4Range(text: string): Ipv4Range | undefined {
  const m = OCTETS.exec(text.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255) || m.slice(1, 5).some((o) => o.length > 1 && o.startsWith("0"))) return undefined;
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined;
  return { start: address, prefix };
}

const end = (r: Ipv4Range) => r.start + 2 ** (32 - r.prefix) - 1;

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** Ranges that are not public internet addresses (RFC 1918, loopback, link-local, "this network", multicast and reserved). */
const NOT_PUBLIC: readonly [string, string][] = [
  ["0.0.0.0/8", "\"this network\""],
  ["10.0.0.0/8", "private (RFC 1918)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local"],
  ["172.16.0.0/12", "private (RFC 1918)"],
  ["192.168.0.0/16", "private (RFC 1918)"],
  ["224.0.0.0/3", "multicast or reserved"],
];

/** Why a range is not a public internet range, or undefined when it is one. */
export function nonPublicReason(range: Ipv4Range): string | undefined {
  for (const [cidr, why] of NOT_PUBLIC) {
    const block = parseIpv4Range(cidr)!;
    if (range.start <= end(block) && end(range) >= block.start) return `overlaps ${cidr}, ${why}`;
  }
  return undefined;
}

/** True when `inner` lies inside `outer`. */
export function contains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return inner.start >= outer.start && end(inner) <= end(outer);
}

/** `a.b.c.d` for a /32, `a.b.c.d/n` otherwise. */
export function formatRange(range: Ipv4Range): string {
  return range.prefix === 32 ? formatIpv4(range.start) : `${formatIpv4(range.start)}/${range.prefix}`;
}

/** The ranges as storage IP rules take them: /31 as its two addresses, /32 as one address. */
export function storageIpRules(ranges: readonly string[]): string[] {
  const out: string[] = [];
  for (const text of ranges) {
    const r = parseIpv4Range(text);
    if (!r) continue;
    if (r.prefix === 31) out.push(formatIpv4(r.start), formatIpv4(r.start + 1));
    else out.push(formatRange(r));
  }
  return [...new Set(out)];
}

/** The ranges as key vault and AI Services IP rules take them (CIDR, single addresses without /32). */
export function cidrIpRules(ranges: readonly string[]): string[] {
  return [...new Set(ranges.map(parseIpv4Range).filter((r): r is Ipv4Range => r !== undefined).map(formatRange))];
}

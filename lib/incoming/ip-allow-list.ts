import { BlockList, isIP } from "node:net";
import { customIssue } from "@/lib/platform/error-messages";

/** An IPv4-mapped IPv6 address (::ffff:1.2.3.4) is the IPv4 address it carries. */
export function normalizeIp(ip: string): string {
  const trimmed = ip.trim().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  return mapped ? mapped[1] : trimmed;
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail allowed), or null. */
function ipv6Groups(ip: string): number[] | null {
  if (isIP(ip) !== 6) return null;
  let text = ip.split("%")[0];
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const parse = (part: string | undefined) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  return tail === undefined ? front : [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
}

const ipv4Of = (high: number, low: number) => [high >>> 8, high & 0xff, low >>> 8, low & 0xff].join(".");

/**
 * The IPv4 addresses an IPv6 address carries and reaches: IPv4-compatible (::/96), mapped
 * (::ffff:0:0/96), translated (::ffff:0:0:0/96), NAT64 (64:ff9b::/96), 6to4 (2002::/16), and
 * Teredo (2001::/32, whose client address is the last 32 bits inverted). Empty for any other.
 */
export function embeddedIpv4(ip: string): string[] {
  const g = ipv6Groups(ip.trim().replace(/^\[|\]$/g, ""));
  if (!g) return [];
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return [ipv4Of(g[6], g[7])];
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return [ipv4Of(g[6], g[7])];
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return [ipv4Of(g[6], g[7])];
  if (g[0] === 0x2002) return [ipv4Of(g[1], g[2])];
  if (g[0] === 0x2001 && g[1] === 0) return [ipv4Of(g[6] ^ 0xffff, g[7] ^ 0xffff)];
  return [];
}

/**
 * Parses allow-list entries (single addresses or CIDR ranges, IPv4 or IPv6). Returns the list and
 * the entries it could not read, so a form can name them.
 */
export function parseAllowList(entries: string[]): { list: BlockList; invalid: string[] } {
  const list = new BlockList();
  const invalid: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address, prefixText, ...extra] = entry.split("/");
    const ip = normalizeIp(address);
    const family = isIP(ip);
    if (family === 0 || extra.length > 0) {
      invalid.push(entry);
      continue;
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefixText === undefined) {
      list.addAddress(ip, type);
      continue;
    }
    const prefix = Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) {
      invalid.push(entry);
      continue;
    }
    list.addSubnet(ip, prefix, type);
  }
  return { list, invalid };
}

/** The form's issue for a list of addresses and ranges (an allow list, a rule's blocked IPs) naming the entries that are not one, or null. */
export function addressListIssue(entries: string[], path?: PropertyKey[]) {
  const { invalid } = parseAllowList(entries);
  return invalid.length > 0 ? customIssue("errors.form.notAnAddress", { addresses: invalid.join(", ") }, path) : null;
}

/** True when `ip` is in one of the entries (an allow list's or a block list's). Entries that cannot be read match nothing. */
export function ipInList(ip: string | null, entries: string[]): boolean {
  if (!ip) return false;
  const address = normalizeIp(ip);
  const family = isIP(address);
  if (family === 0) return false;
  return parseAllowList(entries).list.check(address, family === 4 ? "ipv4" : "ipv6");
}

import { BlockList, isIP } from "node:net";

/** An IPv4-mapped IPv6 address (::ffff:1.2.3.4) is the IPv4 address it carries. */
export function normalizeIp(ip: string): string {
  const trimmed = ip.trim().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  return mapped ? mapped[1] : trimmed;
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

/** True when `ip` is in one of the entries. Entries that cannot be read match nothing. */
export function ipAllowed(ip: string | null, entries: string[]): boolean {
  if (!ip) return false;
  const address = normalizeIp(ip);
  const family = isIP(address);
  if (family === 0) return false;
  return parseAllowList(entries).list.check(address, family === 4 ? "ipv4" : "ipv6");
}

import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { embeddedIpv4, normalizeIp, parseAllowList } from "@/lib/incoming/ip-allow-list";

/**
 * The SSRF guard for every outgoing request: http and https only; the host resolved and every
 * address checked against the ranges below; the connection then made to the address that was
 * checked (see `sendGuardedRequest`), so a DNS answer cannot change between check and connect.
 * An IPv6 address that carries an IPv4 one (NAT64, 6to4, Teredo…) is judged by that IPv4 too.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this" network
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["64:ff9b:1::", 48], // local-use NAT64
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local, AWS metadata fd00:ec2::254
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  BLOCKED.addSubnet(net, prefix, "ipv6");
}

export type GuardSettings = {
  /** Addresses or CIDR ranges allowed anyway (development and tests only). */
  allowedAddresses: string[];
  lookup?: (host: string) => Promise<{ address: string; family: number }[]>;
};

export type GuardVerdict =
  | { ok: true; url: URL; address: string; family: 4 | 6 }
  | { ok: false; reason: string };

export function isBlockedAddress(ip: string): boolean {
  const address = normalizeIp(ip);
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return BLOCKED.check(address, "ipv4");
  return BLOCKED.check(address, "ipv6") || embeddedIpv4(address).some((ipv4) => BLOCKED.check(ipv4, "ipv4"));
}

/** Names that mean this machine whatever DNS says (RFC 6761): loopback, without a lookup. */
const LOCAL_NAME = /(^|\.)localhost$/i;

const defaultLookup = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/** Checks a URL and resolves the address to connect to, or says why it is refused. */
export async function checkOutgoingUrl(rawUrl: string, settings: GuardSettings): Promise<GuardVerdict> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, reason: "The URL is not valid." };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, reason: `Only http and https URLs are allowed, not ${url.protocol.replace(":", "")}.` };
  }
  if (url.username || url.password) return { ok: false, reason: "Credentials in the URL are not allowed; use a header." };
  // "localhost." is the same name as "localhost": judged without its trailing dot.
  const host = url.hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");
  let addresses: { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else if (LOCAL_NAME.test(host)) {
    addresses = [{ address: "127.0.0.1", family: 4 }];
  } else {
    try {
      addresses = await (settings.lookup ?? defaultLookup)(host);
    } catch {
      return { ok: false, reason: `The host ${host} does not resolve.` };
    }
    if (addresses.length === 0) return { ok: false, reason: `The host ${host} does not resolve.` };
  }
  const allowed = parseAllowList(settings.allowedAddresses).list;
  // Every address the name resolves to must pass: otherwise a name with one public and one
  // private address could be used to reach the private one.
  for (const { address } of addresses) {
    const normalized = normalizeIp(address);
    const family = isIP(normalized);
    const explicitlyAllowed = family !== 0 && allowed.check(normalized, family === 4 ? "ipv4" : "ipv6");
    if (!explicitlyAllowed && isBlockedAddress(normalized)) {
      return { ok: false, reason: `${host} resolves to ${address}, a private or reserved address; requests there are refused.` };
    }
  }
  const chosen = normalizeIp(addresses[0].address);
  return { ok: true, url, address: chosen, family: isIP(chosen) === 6 ? 6 : 4 };
}

import { describe, expect, it } from "vitest";
import { ipInList, normalizeIp, parseAllowList } from "@/lib/incoming/ip-allow-list";

describe("ipInList with IPv4", () => {
  it("matches an exact address", () => {
    expect(ipInList("203.0.113.7", ["203.0.113.7"])).toBe(true);
    expect(ipInList("203.0.113.8", ["203.0.113.7"])).toBe(false);
    expect(ipInList(" 203.0.113.7 ", [" 203.0.113.7 "])).toBe(true);
  });

  it("matches a CIDR range", () => {
    const list = ["10.0.0.0/8", "192.168.1.0/24"];
    expect(ipInList("10.0.0.0", list)).toBe(true);
    expect(ipInList("10.255.255.255", list)).toBe(true);
    expect(ipInList("11.0.0.0", list)).toBe(false);
    expect(ipInList("9.255.255.255", list)).toBe(false);
    expect(ipInList("192.168.1.200", list)).toBe(true);
    expect(ipInList("192.168.2.1", list)).toBe(false);
  });

  it("treats /0 as every IPv4 address and /32 as one", () => {
    expect(ipInList("1.2.3.4", ["0.0.0.0/0"])).toBe(true);
    expect(ipInList("255.255.255.255", ["0.0.0.0/0"])).toBe(true);
    expect(ipInList("1.2.3.4", ["1.2.3.4/32"])).toBe(true);
    expect(ipInList("1.2.3.5", ["1.2.3.4/32"])).toBe(false);
  });
});

describe("ipInList with IPv6", () => {
  it("matches an exact address, however it is written", () => {
    expect(ipInList("2001:db8::1", ["2001:db8::1"])).toBe(true);
    expect(ipInList("2001:0db8:0000:0000:0000:0000:0000:0001", ["2001:db8::1"])).toBe(true);
    expect(ipInList("2001:DB8::1", ["2001:db8::1"])).toBe(true);
    expect(ipInList("2001:db8::2", ["2001:db8::1"])).toBe(false);
  });

  it("matches a CIDR range", () => {
    expect(ipInList("2001:db8::1", ["2001:db8::/32"])).toBe(true);
    expect(ipInList("2001:db8:ffff:ffff::1", ["2001:db8::/32"])).toBe(true);
    expect(ipInList("2001:db9::1", ["2001:db8::/32"])).toBe(false);
    expect(ipInList("::1", ["::/0"])).toBe(true);
    expect(ipInList("::1", ["::1/128"])).toBe(true);
    expect(ipInList("::2", ["::1/128"])).toBe(false);
  });

  it("accepts a bracketed address", () => {
    expect(ipInList("[::1]", ["::1"])).toBe(true);
    expect(ipInList("::1", ["[::1]"])).toBe(true);
    expect(ipInList("[2001:db8::5]", ["2001:db8::/32"])).toBe(true);
  });

  it("does not let an IPv6 address match an IPv4 entry or the other way round", () => {
    expect(ipInList("2001:db8::1", ["10.0.0.0/8"])).toBe(false);
    expect(ipInList("10.1.2.3", ["2001:db8::/32"])).toBe(false);
  });
});

describe("IPv4-mapped IPv6", () => {
  it("is the IPv4 address it carries", () => {
    expect(normalizeIp("::ffff:10.1.2.3")).toBe("10.1.2.3");
    expect(normalizeIp("::FFFF:10.1.2.3")).toBe("10.1.2.3");
    expect(normalizeIp("[::ffff:10.1.2.3]")).toBe("10.1.2.3");
    expect(normalizeIp("[::1]")).toBe("::1");
    expect(normalizeIp("2001:db8::1")).toBe("2001:db8::1");
  });

  it("matches an IPv4 entry", () => {
    expect(ipInList("::ffff:10.1.2.3", ["10.0.0.0/8"])).toBe(true);
    expect(ipInList("[::ffff:10.1.2.3]", ["10.0.0.0/8"])).toBe(true);
    expect(ipInList("::ffff:11.1.2.3", ["10.0.0.0/8"])).toBe(false);
    expect(ipInList("10.1.2.3", ["::ffff:10.1.2.3"])).toBe(true);
  });
});

describe("ipInList refusals", () => {
  it("allows nothing with an empty list", () => {
    expect(ipInList("10.1.2.3", [])).toBe(false);
    expect(ipInList("::1", [])).toBe(false);
    expect(ipInList("10.1.2.3", ["", "   "])).toBe(false);
  });

  it("refuses a null, empty or unreadable ip", () => {
    const everything = ["0.0.0.0/0", "::/0"];
    expect(ipInList(null, everything)).toBe(false);
    expect(ipInList("", everything)).toBe(false);
    expect(ipInList("not-an-ip", everything)).toBe(false);
    expect(ipInList("1.2.3", everything)).toBe(false);
    expect(ipInList("256.1.1.1", everything)).toBe(false);
    expect(ipInList("10.0.0.0/8", everything)).toBe(false);
  });

  it("lets an unreadable entry match nothing while the others still work", () => {
    expect(ipInList("10.1.2.3", ["not-an-ip", "10.0.0.0/33"])).toBe(false);
    expect(ipInList("10.1.2.3", ["not-an-ip", "10.0.0.0/8"])).toBe(true);
  });
});

describe("parseAllowList", () => {
  it("reports the entries it cannot read", () => {
    const { invalid } = parseAllowList(["10.0.0.0/33", "not-an-ip", "1.2.3", "::1/129", "10.0.0.0/", "10.0.0.0/abc", "10.0.0.0/-1"]);
    expect(invalid).toEqual(["10.0.0.0/33", "not-an-ip", "1.2.3", "::1/129", "10.0.0.0/", "10.0.0.0/abc", "10.0.0.0/-1"]);
  });

  it("accepts good entries and ignores blank ones", () => {
    const { list, invalid } = parseAllowList(["", "  ", "10.0.0.0/8", " 192.168.0.1 ", "2001:db8::/32", "::1", "0.0.0.0/0", "::/128"]);
    expect(invalid).toEqual([]);
    expect(list.check("10.9.9.9", "ipv4")).toBe(true);
    expect(list.check("192.168.0.1", "ipv4")).toBe(true);
    expect(list.check("2001:db8::9", "ipv6")).toBe(true);
    expect(list.check("2001:db9::9", "ipv6")).toBe(false);
  });

  it("reports a bad entry trimmed, among good ones", () => {
    const { list, invalid } = parseAllowList(["10.0.0.0/8", "  bogus  ", "::1"]);
    expect(invalid).toEqual(["bogus"]);
    expect(list.check("10.1.1.1", "ipv4")).toBe(true);
    expect(list.check("::1", "ipv6")).toBe(true);
  });

  // BUG: the entry is split on "/" and only the first two parts are read, so "10.0.0.0/8/9"
  // is silently taken as 10.0.0.0/8 instead of being reported.
  it("reports an entry with more than one prefix", () => {
    expect(parseAllowList(["10.0.0.0/8/9"]).invalid).toEqual(["10.0.0.0/8/9"]);
  });
});

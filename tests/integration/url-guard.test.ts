import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendGuardedRequest } from "@/lib/outgoing/outgoing-http";
import { checkOutgoingUrl } from "@/lib/outgoing/url-guard";
import { startTracker, type Tracker } from "../helpers/tracker";

const closed = { allowedAddresses: [] as string[] };
// A resolver that answers like a DNS server would for names we cannot register here.
const fakeDns = async (host: string) => {
  const table: Record<string, { address: string; family: number }[]> = {
    "internal.example": [{ address: "10.1.2.3", family: 4 }],
    "mixed.example": [{ address: "93.184.216.34", family: 4 }, { address: "192.168.1.5", family: 4 }],
    "metadata.example": [{ address: "fd00:ec2::254", family: 6 }],
    "public.example": [{ address: "93.184.216.34", family: 4 }],
  };
  const answer = table[host];
  if (!answer) throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
  return answer;
};

let tracker: Tracker;
beforeAll(async () => {
  tracker = await startTracker();
});
afterAll(() => tracker.close());

describe("SSRF guard with the allow-list off", () => {
  const refused = [
    "http://127.0.0.1/pb",
    "http://10.0.0.1/pb",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/pb",
    "http://[::ffff:127.0.0.1]/pb",
    "http://[::ffff:7f00:1]/pb",
    "http://localhost/pb",
    "http://0.0.0.0/pb",
    "http://100.64.0.1/pb",
    "http://172.16.5.4/pb",
    "http://192.168.0.10/pb",
    "http://224.0.0.1/pb",
    "http://[fe80::1]/pb",
    "http://[fc00::1]/pb",
    "http://2130706433/pb",
    "http://0x7f.0.0.1/pb",
  ];
  for (const url of refused) {
    it(`refuses ${url}`, async () => {
      const verdict = await checkOutgoingUrl(url, closed);
      expect(verdict.ok).toBe(false);
    });
  }

  // An IPv6 address that carries an IPv4 one reaches that IPv4: judged as it, on save (a refusal
  // other than "does not resolve" refuses the postback) and again when connecting.
  const embedded = [
    "http://[::127.0.0.1]/pb", // IPv4-compatible
    "http://[::a00:1]/pb",
    "http://[::ffff:0:127.0.0.1]/pb", // IPv4-translated
    "http://[64:ff9b::127.0.0.1]/pb", // NAT64
    "http://[64:ff9b::a9fe:a9fe]/pb", // NAT64 of 169.254.169.254
    "http://[2002:7f00:1::1]/pb", // 6to4
    "http://[2002:c0a8:1::]/pb", // 6to4 of 192.168.0.1
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/pb", // Teredo, client 127.0.0.1 (inverted)
    "http://[2001::f5ff:fffe]/pb", // Teredo, client 10.0.0.1
  ];
  for (const url of [...embedded, "http://localhost./pb", "http://LOCALHOST./pb", "http://app.localhost/pb"]) {
    it(`refuses ${url} as the address it reaches`, async () => {
      const verdict = await checkOutgoingUrl(url, { ...closed, lookup: fakeDns });
      expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining("private or reserved") });
    });
  }

  it("lets through an IPv6 form whose IPv4 is public", async () => {
    for (const url of ["http://[64:ff9b::5db8:d822]/pb", "http://[2002:5db8:d822::1]/pb", "http://[2001:0:4136:e378:8000:63bf:a247:27dd]/pb", "http://[2606:4700::1111]/pb"]) {
      expect((await checkOutgoingUrl(url, closed)).ok, url).toBe(true);
    }
  });

  it("connects to no IPv6 form of a refused IPv4 address", async () => {
    const port = new URL(tracker.url).port;
    for (const host of ["[::127.0.0.1]", "[::ffff:0:127.0.0.1]", "[64:ff9b::127.0.0.1]", "localhost."]) {
      const result = await sendGuardedRequest({ method: "GET", url: `http://${host}:${port}/x`, headers: {} }, { ...closed, timeoutMs: 1000, maxResponseBytes: 100 });
      expect(result, host).toMatchObject({ ok: false, errorClass: "blocked", status: null });
    }
    expect(tracker.received).toHaveLength(0);
  });

  it("refuses a name that resolves to a private address, or to one among public ones", async () => {
    for (const host of ["internal.example", "mixed.example", "metadata.example"]) {
      const verdict = await checkOutgoingUrl(`https://${host}/pb`, { ...closed, lookup: fakeDns });
      expect(verdict, host).toMatchObject({ ok: false, reason: expect.stringContaining("private or reserved") });
    }
    expect(await checkOutgoingUrl("https://public.example/pb", { ...closed, lookup: fakeDns })).toMatchObject({ ok: true, address: "93.184.216.34" });
  });

  it("refuses schemes other than http and https, and credentials in the URL", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.com/x", "gopher://example.com", "javascript:alert(1)", "http://user:pw@public.example/"]) {
      expect((await checkOutgoingUrl(url, { ...closed, lookup: fakeDns })).ok, url).toBe(false);
    }
  });

  it("sends nothing to a refused address and says why", async () => {
    const result = await sendGuardedRequest({ method: "GET", url: `${tracker.url}/x`, headers: {} }, { ...closed, timeoutMs: 1000, maxResponseBytes: 100 });
    expect(result).toMatchObject({ ok: false, errorClass: "blocked", status: null });
    expect(tracker.received).toHaveLength(0);
  });
});

describe("SSRF guard with an explicit allow-list (development and tests)", () => {
  const open = { allowedAddresses: ["127.0.0.1"], timeoutMs: 1000, maxResponseBytes: 64 };

  it("does not follow a redirect, even one to a private address", async () => {
    tracker.setReplies([{ status: 302, headers: { location: "http://10.0.0.1/secret" } }]);
    const result = await sendGuardedRequest({ method: "GET", url: `${tracker.url}/redirect`, headers: {} }, open);
    tracker.setReplies([200]);
    expect(result).toMatchObject({ ok: false, status: 302, errorClass: "non_2xx", errorMessage: "HTTP 302 (redirects are not followed)" });
    expect(tracker.received.map((r) => r.url)).toEqual(["/redirect"]);
  });

  it("reads at most the set number of bytes of an answer", async () => {
    tracker.setReplies([{ status: 200, body: "x".repeat(10_000) }]);
    const result = await sendGuardedRequest({ method: "GET", url: `${tracker.url}/big`, headers: {} }, open);
    tracker.setReplies([200]);
    expect(result.ok).toBe(true);
    expect(result.body?.startsWith("x".repeat(64))).toBe(true);
    expect(result.body).toContain("[truncated]");
    expect(result.body!.length).toBeLessThan(100);
  });

  it("classifies a refused connection", async () => {
    const result = await sendGuardedRequest({ method: "GET", url: "http://127.0.0.1:1/pb", headers: {} }, open);
    expect(result).toMatchObject({ ok: false, errorClass: "refused" });
  });
});

import { expect, test } from "@playwright/test";
import { DEMO } from "@/lib/demo/seed";

/** The README's curl walk-through, over real HTTP against the production build. */
test("a click, a lead and the merchant's postbacks over HTTP", async ({ request }) => {
  const clickResponse = await request.get(`/c/${DEMO.trackingLinkCode}?sub1=newsletter&aff_click_id=ext-42`, { maxRedirects: 0 });
  expect(clickResponse.status()).toBe(302);
  const landing = new URL(clickResponse.headers().location);
  expect(landing.host).toBe("shop.example.com");
  expect(landing.searchParams.get("sub1")).toBe("newsletter");
  const clickId = landing.searchParams.get("click_id")!;
  expect(clickId).toMatch(/^clk_/);

  const lead = await request.post("/api/leads", {
    headers: { authorization: `Bearer ${DEMO.affiliateApiKey}` },
    data: { click_id: clickId, lead_id: "e2e-lead" },
  });
  expect(await lead.json()).toMatchObject({ ok: true, result: "accepted", status: "lead" });

  const txid = `E2E-${Date.now()}`;
  const url = `/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&clickid=${clickId}&txid=${txid}&status=sale&payout=12.5`;
  const sale = await request.get(url);
  expect(sale.status()).toBe(200);
  const saleBody = await sale.json();
  expect(saleBody).toMatchObject({ ok: true, result: "accepted", status: "approved" });

  const repeat = await request.post(`/api/postback/${DEMO.endpointId}`, {
    form: { token: DEMO.endpointSecret, click_id: clickId, txid, status: "sale" },
  });
  expect(await repeat.json()).toEqual({ ok: true, result: "duplicate", conversion_id: saleBody.conversion_id, status: "approved" });

  const late = await request.get(`/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&status=pending`);
  expect(await late.json()).toMatchObject({ ok: true, result: "ignored", status: "approved" });

  const badToken = await request.get(`/api/postback/${DEMO.endpointId}?token=wrong&click_id=${clickId}`);
  expect(badToken.status()).toBe(401);
  expect(await badToken.json()).toMatchObject({ ok: false, error: { code: "invalid_token" } });

  const tooBig = await request.post(`/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}`, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: `click_id=${clickId}&x=${"y".repeat(40_000)}`,
  });
  expect(tooBig.status()).toBe(413);
  expect(await tooBig.json()).toMatchObject({ ok: false, error: { code: "body_too_large" } });

  const unknown = await request.get("/c/not-a-real-link", { maxRedirects: 0 });
  expect(unknown.status()).toBe(404);
});

test("pages carry the content security policy; the click redirect and the postback answer keep the other security headers", async ({ request }) => {
  // A stray path under a machine route is a not-found document, and keeps the page headers.
  for (const path of ["/login", "/", "/c/a/b", "/api/postback/end_x/y"]) {
    const page = await request.get(path, { maxRedirects: 0 });
    expect(page.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(page.headers()["x-frame-options"]).toBe("DENY");
  }
  const unknownLink = await request.get("/c/not-a-real-link", { maxRedirects: 0 });
  expect(unknownLink.status()).toBe(404);
  expect(unknownLink.headers()["content-security-policy"]).toContain("default-src 'none'");
  const click = await request.get(`/c/${DEMO.trackingLinkCode}`, { maxRedirects: 0 });
  const postback = await request.get(`/api/postback/${DEMO.endpointId}?token=wrong&click_id=clk_none`);
  for (const response of [click, postback]) {
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    expect(response.headers()["strict-transport-security"]).toContain("max-age=");
    expect(response.headers()["content-security-policy"]).toBeUndefined();
  }
});

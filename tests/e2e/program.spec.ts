import { expect, test } from "@playwright/test";
import { DEMO } from "@/lib/demo/seed";
import { signInWithForm } from "./helpers";

test("the network adds a goal and a cap on its offer, sees the cap fill, and finds the goal's conversions", async ({ page, request, browser }) => {
  await signInWithForm(page, "network");
  await page.goto(`/network/offers/${DEMO.offerId}`);

  // A goal, refused first with every invalid field named at once.
  await page.locator("#g-key").fill("Deposit!");
  await page.getByRole("button", { name: "Add goal" }).click();
  await expect(page.getByText("Lower-case letters, digits, - and _ (like deposit).")).toBeVisible();
  await page.locator("#g-key").fill("deposit");
  await page.locator("#g-name").fill("First deposit");
  await page.locator("#g-payout").fill("10");
  await page.locator("#g-payout-kind").selectOption("percent");
  await page.locator("#g-revenue").fill("20");
  await page.getByRole("button", { name: "Add goal" }).click();
  await expect(page.locator("tr[data-goal=deposit]")).toContainText("10% of sale");

  // A cap of one deposit a day.
  await page.locator("#c-goal").selectOption("deposit");
  await page.locator("#c-limit").fill("1");
  await page.getByRole("button", { name: "Add cap" }).click();
  const cap = page.locator("tr[data-cap]");
  await expect(cap).toContainText("0 of 1");

  // Two deposits: the first is taken (10% of 250), the second is over the cap.
  const deposit = async (txid: string) => {
    const click = await request.get(`/c/${DEMO.trackingLinkCode}`, { maxRedirects: 0 });
    const clickId = new URL(click.headers().location).searchParams.get("click_id");
    return (await request.get(`/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&goal=deposit&txid=${txid}&sale_amount=250&status=sale`)).json();
  };
  const first = await deposit(`DEP-${Date.now()}-1`);
  const second = await deposit(`DEP-${Date.now()}-2`);
  expect(first).toMatchObject({ ok: true, result: "accepted", status: "approved" });
  expect(second).toMatchObject({ ok: true, result: "accepted", status: "rejected" });
  expect(second.reason).toContain("cap_reached");
  await page.reload();
  await expect(cap).toContainText("1 of 1");
  await expect(cap).toHaveAttribute("data-near-limit", "true");
  await page.screenshot({ path: "tests/e2e/screenshots/network-offer-program.png", fullPage: true });

  // The affiliate sees the shared cap on its offers, full, with its payout on the goal.
  const affiliate = await (await browser.newContext()).newPage();
  await signInWithForm(affiliate, "affiliate");
  await affiliate.goto("/affiliate/offers");
  const seen = affiliate.locator(`li[data-cap="${await cap.getAttribute("data-cap")}"]`);
  await expect(seen).toContainText("1 conversion a day");
  await expect(seen).toContainText("shared by all affiliates");
  await expect(seen).toHaveAttribute("data-reached", "true");
  await affiliate.context().close();

  // Raised to two: the day's deposit still counts, so one more fits, not two.
  await page.locator("#cc-cap").selectOption((await cap.getAttribute("data-cap"))!);
  await page.locator("#cc-limit").fill("2");
  await page.getByRole("button", { name: "Change cap" }).click();
  await expect(cap).toContainText("1 of 2");
  expect(await deposit(`DEP-${Date.now()}-3`)).toMatchObject({ result: "accepted", status: "approved" });
  expect(await deposit(`DEP-${Date.now()}-4`)).toMatchObject({ result: "accepted", status: "rejected" });

  // The conversions page finds them by goal, and the over-cap one by its rule.
  await page.goto("/network/conversions?goal=deposit");
  await expect(page.locator(`tr[data-conversion-id="${first.conversion_id}"]`)).toContainText("25.00");
  await page.goto("/network/conversions?rule=cap_reached");
  const overCap = page.locator(`tr[data-conversion-id="${second.conversion_id}"] [data-decision="cap_reached"]`);
  await expect(overCap).toContainText("rejected: the cap of 1 conversion a day is reached");
  await expect(page.locator(`tr[data-conversion-id="${first.conversion_id}"]`)).toHaveCount(0);

  // The goal's payout changed on the offer page, for its conversions from now on.
  await page.goto(`/network/offers/${DEMO.offerId}`);
  await page.locator("#gc-goal").selectOption({ label: "deposit" });
  await page.locator("#gc-payout").fill("30");
  await page.locator("#gc-payout-kind").selectOption("flat");
  await page.getByRole("button", { name: "Change goal" }).click();
  await expect(page.locator("tr[data-goal=deposit]")).toContainText("30.00");
  await expect(page.locator("tr[data-goal=deposit]")).not.toContainText("% of sale");

  // Its hold, then a payout rule for the affiliate, changed from the page.
  await page.locator("#gc-goal").selectOption({ label: "deposit" });
  await page.locator("#gc-hold").fill("48");
  await page.getByRole("button", { name: "Change goal" }).click();
  await expect(page.locator("tr[data-goal=deposit]")).toContainText("48 h");
  await page.locator("#p-payout").fill("12");
  await page.getByRole("button", { name: "Add payout" }).click();
  const rule = page.locator("tr[data-payout-rule]");
  await expect(rule).toHaveCount(1);
  await expect(rule).toContainText("12.00");
  await page.locator("#pc-payout").fill("14");
  await page.getByRole("button", { name: "Change payout rule" }).click();
  await expect(rule).toContainText("14.00");

  // A rule added and its countries changed; then it and the payout rule go, for the specs after this one.
  await page.locator("#r-kind").selectOption("countries");
  await page.locator("#r-countries").fill("US");
  await page.getByRole("button", { name: "Add rule" }).click();
  const check = page.locator("tr[data-rule=countries]");
  await expect(check).toContainText("US");
  await page.locator("#rc-rule").selectOption({ label: "Allowed countries · US · every affiliate · Flag for review" });
  // Sent blank, the form says what is missing (it answered 500 once).
  await page.getByRole("button", { name: "Change rule" }).click();
  await expect(page.getByText("Give a new setting or action.")).toBeVisible();
  await page.locator("#rc-countries").fill("us, de");
  await page.getByRole("button", { name: "Change rule" }).click();
  await expect(check).toContainText("DE");
  page.on("dialog", (dialog) => void dialog.accept());
  await check.getByRole("button").click();
  await expect(check).toHaveCount(0);
  await rule.getByRole("button").click();
  await expect(rule).toHaveCount(0);
});

test("the network blocks a sub id of one affiliate: its clicks go to the fallback URL, its conversions are rejected, and each party reads why", async ({ page, request, browser }) => {
  await signInWithForm(page, "network");
  await page.goto(`/network/offers/${DEMO.offerId}`);
  await page.locator("#h-fallback").fill("https://fallback.example.com/full?cid={click_id}");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved.")).toBeVisible();

  // Refused without values, then added for the demo affiliate.
  await page.locator("#r-kind").selectOption("blocked_subs");
  await page.locator("#r-param").selectOption("sub1");
  await page.locator("#r-action").selectOption("reject");
  await page.getByRole("button", { name: "Add rule" }).click();
  await expect(page.getByText("List the values to block, separated by commas or spaces.")).toBeVisible();
  await page.locator("#r-blocked").fill("spam-site, site-9");
  await page.locator("#r-aff").selectOption({ label: "Bright Media" });
  await page.getByRole("button", { name: "Add rule" }).click();
  const blocking = page.locator("tr[data-rule=blocked_subs]");
  await expect(blocking).toContainText("sub1: spam-site or site-9");
  await expect(blocking).toContainText("Bright Media");

  // A click with a blocked sub1 goes to the fallback (the link's target is cached for up to 10 s).
  let location = "";
  await expect
    .poll(async () => (location = (await request.get(`/c/${DEMO.trackingLinkCode}?sub1=Spam-Site`, { maxRedirects: 0 })).headers().location), { timeout: 20_000 })
    .toMatch(/^https:\/\/fallback\.example\.com\/full\?cid=clk_/);
  const allowed = (await request.get(`/c/${DEMO.trackingLinkCode}?sub1=site-10`, { maxRedirects: 0 })).headers().location;
  expect(allowed).not.toContain("fallback.example.com");
  const clickId = new URL(location).searchParams.get("cid");
  const answer = await (await request.get(`/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&txid=BLK-${Date.now()}&status=sale`)).json();
  expect(answer).toMatchObject({ ok: true, result: "accepted", status: "rejected" });

  // The network and the affiliate read which value; the merchant only that sub1 was blocked.
  await page.goto("/network/conversions?rule=blocked_subs");
  await expect(page.locator(`tr[data-conversion-id="${answer.conversion_id}"] [data-decision="blocked_subs"]`)).toContainText("rejected: the click's sub1 “Spam-Site” is blocked");
  for (const [role, text] of [["affiliate", "the click's sub1 “Spam-Site” is blocked"], ["merchant", "the click's sub1 is blocked"]] as const) {
    const other = await (await browser.newContext()).newPage();
    await signInWithForm(other, role);
    await other.goto(`/${role}/conversions/${answer.conversion_id}`);
    const reason = other.locator('[data-decision="blocked_subs"]');
    await expect(reason).toContainText(text);
    if (role === "merchant") await expect(reason).not.toContainText("Spam-Site");
    if (role === "affiliate") {
      // The affiliate's offers say what is blocked for it, so it can stop sending it.
      await other.goto("/affiliate/offers");
      await expect(other.locator("li[data-blocked=sub1]")).toContainText("Blocked sub1: spam-site, site-9 (rejected)");
      await expect(other.locator("li[data-blocked=sub1]")).toContainText("for you");
    }
    await other.context().close();
  }

  // The rule and the fallback go, for the specs after this one.
  await page.goto(`/network/offers/${DEMO.offerId}`);
  page.on("dialog", (dialog) => void dialog.accept());
  await blocking.getByRole("button").click();
  await expect(blocking).toHaveCount(0);
  await page.locator("#h-fallback").fill("");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
});

test("the network sets an exchange rate on its home page, and a merchant's payout in euros lands in the offer's dollars", async ({ page, request }) => {
  await signInWithForm(page, "network");
  await page.goto("/network");
  await page.locator("#xr-from").fill("eur");
  await page.locator("#xr-rate").fill("0");
  await page.getByRole("button", { name: "Set rate" }).click();
  await expect(page.getByText("A positive number with up to 10 decimals, like 1.08.")).toBeVisible();
  await page.locator("#xr-rate").fill("1.1");
  await page.locator("#xr-to").fill("USD");
  await page.getByRole("button", { name: "Set rate" }).click();
  const rate = page.locator("li[data-rate=EUR-USD]");
  await expect(rate).toContainText("1 EUR = 1.1 USD");

  const click = await request.get(`/c/${DEMO.trackingLinkCode}`, { maxRedirects: 0 });
  const clickId = new URL(click.headers().location).searchParams.get("click_id");
  const answer = await (await request.get(`/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&txid=EUR-${Date.now()}&payout=10&currency=EUR&status=sale`)).json();
  expect(answer).toMatchObject({ ok: true, result: "accepted" });
  await page.goto("/network/conversions");
  await expect(page.locator(`tr[data-conversion-id="${answer.conversion_id}"]`)).toContainText("$11.00");
  await page.goto(`/network/conversions/${answer.conversion_id}`);
  await expect(page.getByTestId("sent-as")).toContainText("€10.00");

  // Removed, for the specs after this one.
  await page.goto("/network");
  await rate.getByRole("button", { name: "Remove" }).click();
  await expect(rate).toHaveCount(0);
});

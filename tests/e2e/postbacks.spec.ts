import { expect, test } from "@playwright/test";
import { startTracker, type Tracker } from "../helpers/tracker";
import { DEMO } from "@/lib/demo/seed";
import { signInWithForm } from "./helpers";

let tracker: Tracker;
test.beforeAll(async () => {
  tracker = await startTracker([{ status: 200, body: "OK keitaro" }]);
});
test.afterAll(() => tracker.close());

test("the affiliate adds a postback through the form: tooltips, macro insertion, preview, Test, Save", async ({ page }) => {
  await signInWithForm(page, "affiliate");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Postbacks" }).click();
  await page.getByRole("link", { name: "Add postback" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Add postback");

  await page.getByLabel("Name", { exact: true }).fill("Keitaro e2e");
  await page.getByLabel("Send for").selectOption("offer");
  await page.getByLabel("Offer", { exact: true }).selectOption({ label: "Acme Summer Sale" });
  await page.getByLabel("Approved", { exact: true }).check();

  // The question mark explains the macro.
  await page.getByRole("button", { name: "What {payout} carries" }).hover();
  await expect(page.getByRole("tooltip")).toHaveText("What the affiliate earns for this conversion.");
  // The two click ids say whose they are, in the list and in their tooltips.
  const palette = page.getByRole("list", { name: "Macros" });
  await expect(palette.getByRole("listitem").filter({ hasText: "{click_id}" })).toContainText("Postline's click id");
  await expect(palette.getByRole("listitem").filter({ hasText: "{aff_click_id}" })).toContainText("the tracker's click id");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("tooltip")).toHaveCount(0);
  await page.getByRole("button", { name: "What {aff_click_id} carries" }).hover();
  await expect(page.getByRole("tooltip")).toContainText("Also written {clickid}, {subid},");

  const url = page.getByLabel("Postback URL");
  await url.fill(`${tracker.url}/postback?subid=&status=`);
  // Put the caret after "subid=" and insert a macro there.
  await url.evaluate((input: HTMLInputElement) => {
    const at = input.value.indexOf("subid=") + "subid=".length;
    input.setSelectionRange(at, at);
  });
  await page.getByRole("button", { name: "{aff_click_id}", exact: true }).click();
  await expect(url).toHaveValue(`${tracker.url}/postback?subid={aff_click_id}&status=`);
  await url.press("End");
  await page.getByRole("button", { name: "{status}", exact: true }).click();
  await expect(url).toHaveValue(`${tracker.url}/postback?subid={aff_click_id}&status={status}`);
  await expect(page.getByTestId("preview-url")).toHaveText(`GET ${tracker.url}/postback?subid=your-click-id&status=approved`);
  // A tracker's own format ({clickid} for Binom, {subid} for Keitaro) carries the tracker's id back.
  await url.fill(`${tracker.url}/postback?cnv_id={clickid}&subid={subid}&pl={click_id}`);
  await expect(page.getByTestId("preview-url")).toHaveText(`GET ${tracker.url}/postback?cnv_id=your-click-id&subid=your-click-id&pl=clk_SAMPLE1234567890abcd`);

  // An unknown macro is marked before saving, with the nearest name.
  await url.fill(`${tracker.url}/postback?subid={aff_click_id}&status={status}&p={paypout}`);
  await expect(page.getByTestId("unknown-macros")).toContainText("Unknown macro {paypout} — did you mean {payout}?");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Unknown macro {paypout} — did you mean {payout}?").last()).toBeVisible();
  await url.fill(`${tracker.url}/postback?subid={aff_click_id}&status={status}&p={payout}`);
  await expect(page.getByTestId("unknown-macros")).toHaveCount(0);

  // Test sends the request as the form stands and shows the tracker's answer inline.
  tracker.received.length = 0;
  await page.getByRole("button", { name: "Test with sample values" }).click();
  const result = page.getByTestId("test-result");
  await expect(result).toContainText("Your tracker accepted the test");
  await expect(result).toContainText("with sample values");
  await expect(result).toContainText("HTTP 200");
  await expect(result).toContainText("OK keitaro");
  expect(tracker.received).toHaveLength(1);
  await page.screenshot({ path: "tests/e2e/screenshots/affiliate-postback-form.png", fullPage: true });
  expect(tracker.received[0].url).toBe("/postback?subid=your-click-id&status=approved&p=12.50");

  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/affiliate\/postbacks$/);
  await expect(page.getByRole("link", { name: "Keitaro e2e" })).toBeVisible();
});

test("the form marks a brace that opens or closes no macro, and shows every invalid field at once", async ({ page }) => {
  await signInWithForm(page, "affiliate");
  await page.goto("/affiliate/postbacks/new");
  const url = page.getByLabel("Postback URL");

  await url.fill(`${tracker.url}/pb?cid={click_id&st={status}`);
  const at = `${tracker.url}/pb?cid=`.length + 1;
  await expect(page.getByTestId("preview-url-mark")).toHaveText("{");
  await expect(page.getByTestId("preview-url-problem")).toContainText(`An unclosed { at character ${at}`);
  await url.fill(`${tracker.url}/pb?cid={click_id}}`);
  await expect(page.getByTestId("preview-url-problem")).toContainText(`A stray } at character ${at + "{click_id}".length}`);
  await url.fill(`${tracker.url}/pb?cid={click_id}`);
  await expect(page.getByTestId("preview-url-mark")).toHaveCount(0);
  await expect(page.getByTestId("preview-url")).toHaveText(`GET ${tracker.url}/pb?cid=clk_SAMPLE1234567890abcd`);

  // Save with no name, no status, a URL without its scheme and an unclosed brace in the body: all at once.
  await url.fill("tracker.example.com/postback?cid={aff_click_id}");
  for (const status of ["Lead (pending)", "Approved", "Rejected", "On hold"]) await page.getByLabel(status, { exact: true }).uncheck();
  await page.getByLabel("Request type").selectOption("POST");
  await page.getByLabel("Body template").fill("cid={aff_click_id&s={status}");
  await expect(page.getByTestId("preview-body-problem")).toContainText("An unclosed { at character 5");
  await page.getByRole("button", { name: "Save" }).click();
  const alerts = page.locator("form").getByRole("alert");
  await expect(alerts).toHaveText([
    "Give the postback a name.",
    "Pick at least one status.",
    "Add the scheme: https://tracker.example.com/postback?cid={aff_click_id}",
    "An unclosed { at character 5: end the macro with }.",
  ]);
  await expect(page).toHaveURL(/\/affiliate\/postbacks\/new$/);
});

test("the Edit page's Test sends the sample values or the latest conversion the postback matches, as chosen", async ({ page, request }) => {
  const click = await request.get(`/c/${DEMO.trackingLinkCode}?clickid=e2e-binom-1`, { maxRedirects: 0 });
  const clickId = new URL(click.headers().location).searchParams.get("click_id")!;
  const sale = await request.get(`/api/postback/${DEMO.endpointId}?token=${DEMO.endpointSecret}&click_id=${clickId}&txid=E2E-TEST-${Date.now()}&status=sale`);
  const { conversion_id: conversionId } = (await sale.json()) as { conversion_id: string };

  await signInWithForm(page, "affiliate");
  await page.goto("/affiliate/postbacks/new");
  await page.getByLabel("Name", { exact: true }).fill("Binom test choice");
  // Paused: Test works on it, and the later tests' conversions do not queue deliveries to this tracker.
  await page.getByLabel("State").selectOption("false");
  await page.getByLabel("Postback URL").fill(`${tracker.url}/binom?cnv_id={clickid}&status={status}`);
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("link", { name: "Binom test choice" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Edit “Binom test choice”");

  // Sample values by default, and the form says so.
  tracker.received.length = 0;
  await page.getByRole("button", { name: "Test with sample values" }).click();
  await expect(page.getByTestId("test-result")).toContainText("with sample values");
  expect(tracker.received.map((r) => r.url)).toEqual(["/binom?cnv_id=your-click-id&status=approved"]);

  // The latest real conversion is named before it is chosen, and after it is sent.
  const latest = page.getByLabel(/The latest real conversion it matches/);
  await expect(page.getByText(`The latest real conversion it matches: ${conversionId} (approved,`)).toBeVisible();
  await latest.check();
  await page.getByRole("button", { name: "Test with the latest conversion" }).click();
  await expect(page.getByTestId("test-result")).toContainText(`with conversion ${conversionId}, approved at`);
  await expect.poll(() => tracker.received.length).toBe(2);
  expect(tracker.received[1].url).toBe("/binom?cnv_id=e2e-binom-1&status=approved");
});


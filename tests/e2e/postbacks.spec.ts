import { expect, test } from "@playwright/test";
import { startTracker, type Tracker } from "../helpers/tracker";
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

  // An unknown macro is marked before saving, with the nearest name.
  await url.fill(`${tracker.url}/postback?subid={aff_click_id}&status={status}&p={paypout}`);
  await expect(page.getByTestId("unknown-macros")).toContainText("Unknown macro {paypout} — did you mean {payout}?");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Unknown macro {paypout} — did you mean {payout}?").last()).toBeVisible();
  await url.fill(`${tracker.url}/postback?subid={aff_click_id}&status={status}&p={payout}`);
  await expect(page.getByTestId("unknown-macros")).toHaveCount(0);

  // Test sends the request as the form stands and shows the tracker's answer inline.
  tracker.received.length = 0;
  await page.getByRole("button", { name: "Test" }).click();
  const result = page.getByTestId("test-result");
  await expect(result).toContainText("Your tracker accepted the test");
  await expect(result).toContainText("HTTP 200");
  await expect(result).toContainText("OK keitaro");
  expect(tracker.received).toHaveLength(1);
  await page.screenshot({ path: "tests/e2e/screenshots/affiliate-postback-form.png", fullPage: true });
  expect(tracker.received[0].url).toMatch(/^\/postback\?subid=[^&]*&status=[a-z]+&p=\d+\.\d\d$/);

  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/affiliate\/postbacks$/);
  await expect(page.getByRole("link", { name: "Keitaro e2e" })).toBeVisible();
});

import { expect, test } from "@playwright/test";
import { signInWithForm } from "./helpers";

test("the network creates an endpoint, sees its secret once, and rotates it", async ({ page, request }) => {
  await signInWithForm(page, "network");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Endpoints" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Acme backup server");
  await page.getByLabel("Status map (one “word = status” per line)").fill("done = approved\nbogus");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByText('"bogus" is not "word = status"')).toBeVisible();
  await page.getByLabel("Status map (one “word = status” per line)").fill("done = approved\nnope = rejected");
  await page.getByLabel("IP allow-list (optional)").fill("10.0.0.0/33");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByText("Not an address or CIDR range: 10.0.0.0/33.")).toBeVisible();
  await page.getByLabel("IP allow-list (optional)").fill("");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  const secret = (await page.getByTestId("endpoint-secret").textContent())!;
  expect(secret).toMatch(/^whsec_/);
  await page.screenshot({ path: "tests/e2e/screenshots/network-endpoints.png", fullPage: true });

  const row = page.locator("li[data-endpoint-id]", { hasText: "Acme backup server" });
  const endpointId = await row.getAttribute("data-endpoint-id");
  const tryToken = async (token: string) => (await request.get(`/api/postback/${endpointId}?token=${token}&click_id=clk_none&status=done`)).json();
  // The secret works (the click is unknown, so 404 unknown_click, not 401).
  expect((await tryToken(secret)).error.code).toBe("unknown_click");

  page.once("dialog", (dialog) => dialog.accept());
  await row.getByRole("button", { name: "Rotate secret" }).click();
  const rotated = (await row.getByTestId("endpoint-secret").textContent())!;
  expect(rotated).not.toBe(secret);
  await expect.poll(async () => (await tryToken(secret)).error.code, { timeout: 10_000 }).toBe("invalid_token");
  expect((await tryToken(rotated)).error.code).toBe("unknown_click");
});

test("the merchant sees its endpoint URL, each parameter and a curl example", async ({ page }) => {
  await signInWithForm(page, "merchant");
  await expect(page.getByText("/api/postback/end_demo_acme").first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "clickid, cid, subid, sub_id, transaction_id, clk_id" }).first()).toBeVisible();
  await expect(page.locator("pre", { hasText: "curl" }).first()).toContainText("token=YOUR_SECRET&click_id=CLICK_ID");
  await page.screenshot({ path: "tests/e2e/screenshots/merchant-home.png", fullPage: true });
});

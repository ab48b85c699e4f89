import { type Browser, expect, type Page, test } from "@playwright/test";
import { DEMO } from "@/lib/demo/seed";
import { signInWithForm } from "./helpers";

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test("a second network: the affiliate asks to join, the network approves it and runs an offer, the affiliate takes a link", async ({ browser, request }) => {
  const stamp = Date.now();
  const networkName = `Second Net ${stamp}`;
  const networkEmail = `nina.${stamp}@second.example`;

  // An admin sets the network up.
  const admin = await newPage(browser);
  await signInWithForm(admin, "admin");
  await admin.goto("/admin/organizations");
  await admin.getByLabel("Name").fill(networkName);
  await admin.getByLabel("Kind").selectOption("network");
  await admin.getByRole("button", { name: "Add organization" }).click();
  await expect(admin.getByRole("cell", { name: networkName })).toBeVisible();
  await admin.goto("/admin/users");
  await admin.getByLabel("Organization").selectOption({ label: `${networkName} (Network)` });
  await admin.getByLabel("Name").fill("Nina Second");
  await admin.getByLabel("Email").fill(networkEmail);
  await admin.getByLabel("Initial password").fill("second-network-pw");
  await admin.getByRole("button", { name: "Add user" }).click();
  await expect(admin.locator(`tr[data-user-email="${networkEmail}"]`)).toBeVisible();

  // The affiliate asks to join.
  const affiliate = await newPage(browser);
  await signInWithForm(affiliate, "affiliate");
  await affiliate.goto("/affiliate/offers");
  await affiliate.locator("tr", { hasText: networkName }).getByRole("button", { name: "Request to join" }).click();
  await expect(affiliate.locator("tr", { hasText: networkName })).toContainText("pending");

  // The network approves it, and another network's offer is a 404 to it.
  const network = await newPage(browser);
  await network.goto("/login");
  await network.getByLabel("Email").fill(networkEmail);
  await network.getByLabel("Password").fill("second-network-pw");
  await network.getByRole("button", { name: "Sign in" }).click();
  await expect(network).toHaveURL(/\/network$/);
  expect((await network.goto(`/network/offers/${DEMO.offerId}`))?.status()).toBe(404);
  await network.goto("/network/affiliates");
  await network.locator("[data-affiliate='Bright Media']").getByRole("button", { name: "Approve" }).click();
  await expect(network.locator("tr", { hasText: "Bright Media" })).toContainText("approved");

  // It runs an offer; a bad landing URL is refused next to the field.
  await network.goto("/network/offers");
  await network.getByLabel("Name", { exact: true }).fill(`Winter Promo ${stamp}`);
  await network.getByLabel(/Landing URL/).fill("https://winter.example.com/?c={clik_id}");
  await network.getByLabel("Default payout").fill("4.20");
  await network.getByRole("button", { name: "Create offer" }).click();
  await expect(network.getByText("Unknown macro {clik_id} — did you mean {click_id}?")).toBeVisible();
  await network.getByLabel(/Landing URL/).fill("https://winter.example.com/?c={click_id}&s={sub1}");
  await network.getByRole("button", { name: "Create offer" }).click();
  await expect(network.getByRole("link", { name: `Winter Promo ${stamp}` })).toBeVisible();
  await network.screenshot({ path: "tests/e2e/screenshots/network-offers.png", fullPage: true });

  // The affiliate promotes it through a campaign's tracking link.
  await affiliate.goto("/affiliate/campaigns");
  await affiliate.getByLabel("Campaign name").fill(`Winter push ${stamp}`);
  await affiliate.getByLabel("Offer").selectOption({ label: `Winter Promo ${stamp} — ${networkName}` });
  await affiliate.getByRole("button", { name: "Create campaign" }).click();
  await affiliate.getByRole("link", { name: `Winter push ${stamp}` }).click();
  const link = (await affiliate.locator("td", { hasText: "/c/" }).first().textContent())!;
  const code = link.split("/c/")[1];
  const click = await request.get(`/c/${code}?sub1=snow`, { maxRedirects: 0 });
  expect(click.status()).toBe(302);
  expect(click.headers().location).toMatch(/^https:\/\/winter\.example\.com\/\?c=clk_[A-Za-z0-9_-]+&s=snow$/);
  await affiliate.screenshot({ path: "tests/e2e/screenshots/affiliate-campaign.png", fullPage: true });
});

import { expect, test } from "@playwright/test";
import { DEMO } from "@/lib/demo/seed";
import { signInWithForm } from "./helpers";

test("another party's pages and rows answer 404", async ({ page }) => {
  await signInWithForm(page, "affiliate");
  await expect(page).toHaveURL(/\/affiliate$/);

  for (const path of ["/network", `/network/offers/${DEMO.offerId}`, "/merchant", "/admin", "/admin/organizations"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  }
});

test("an id that is not the organization's answers 404, its own id answers 200", async ({ page }) => {
  await signInWithForm(page, "network");
  await expect(page).toHaveURL(/\/network$/);

  const own = await page.goto(`/network/offers/${DEMO.offerId}`);
  expect(own?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Acme Summer Sale");

  const foreign = await page.goto("/network/offers/off_belongs_to_someone_else");
  expect(foreign?.status()).toBe(404);

  const otherParty = await page.goto(`/affiliate/campaigns/${DEMO.campaignId}`);
  expect(otherParty?.status()).toBe(404);

  // The affiliate's postback is not the network's to edit, though both live on /…/postbacks/{id}.
  expect((await page.goto(`/network/postbacks/${DEMO.postbackId}`))?.status()).toBe(404);
  expect((await page.goto(`/network/endpoints/${DEMO.endpointId}`))?.status()).toBe(200);
  expect((await page.goto("/network/endpoints/end_someone_elses"))?.status()).toBe(404);
  expect((await page.request.get(`/api/logs/outgoing/dlv_someone_elses`)).status()).toBe(404);
});

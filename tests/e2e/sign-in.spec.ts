import { expect, test } from "@playwright/test";
import { expectSignedInAs, signInWithForm } from "./helpers";

const HOMES = [
  { role: "affiliate", path: "/affiliate", heading: /Welcome, Alex/, nav: ["Overview", "Offers", "Campaigns", "Postbacks", "Demo receiver", "Logs", "Stats", "API keys"] },
  { role: "network", path: "/network", heading: "Northwind Network", nav: ["Overview", "Offers", "Merchants", "Affiliates", "Endpoints", "Conversions", "Postbacks", "Demo receiver", "Logs", "Stats", "API keys"] },
  { role: "merchant", path: "/merchant", heading: "Acme Outdoor Shop", nav: ["Overview", "Conversions", "Logs", "API keys"] },
  { role: "admin", path: "/admin", heading: "Platform", nav: ["Overview", "Health", "Organizations", "Users"] },
] as const;

for (const home of HOMES) {
  test(`${home.role} signs in through the form and lands on its home`, async ({ page }) => {
    await signInWithForm(page, home.role);
    await expect(page).toHaveURL(new RegExp(`${home.path}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(home.heading);
    await expectSignedInAs(page, home.role);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText([...home.nav]);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto(home.path);
    await expect(page).toHaveURL(/\/login$/);
  });
}

test("a wrong password is refused next to the field, and no session is made", async ({ page }) => {
  await signInWithForm(page, "network", "not-the-password");
  await expect(page.locator("form").getByRole("alert")).toHaveText("That email and password do not match an active account.");
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/network");
  await expect(page).toHaveURL(/\/login$/);
});

test("the affiliate sees its tracking link and the demo offer", async ({ page }) => {
  await signInWithForm(page, "affiliate");
  await expect(page.getByText("/c/demo-summer")).toBeVisible();
  await expect(page.getByRole("cell", { name: "Acme Summer Sale" })).toBeVisible();
});

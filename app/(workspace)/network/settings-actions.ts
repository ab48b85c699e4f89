"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/access/action";
import { setOrganizationTimeZone, timeZoneSchema } from "@/lib/access/organizations";
import { exchangeRateInputSchema, removeExchangeRate, setExchangeRate } from "@/lib/program/exchange-rates";

export const setTimeZoneAction = action({ schema: z.object({ timeZone: timeZoneSchema }), permission: "offers:write" }, async ({ timeZone }, { user, db }) => {
  await setOrganizationTimeZone(db, user.orgId, timeZone);
  revalidatePath("/network");
});

export const setExchangeRateAction = action({ schema: exchangeRateInputSchema, permission: "offers:write" }, async (input, { user, db }) => {
  await setExchangeRate(db, user.orgId, input);
  revalidatePath("/network");
});

export const removeExchangeRateAction = action({ schema: z.object({ id: z.string().min(1).max(64) }), permission: "offers:write" }, async ({ id }, { user, db }) => {
  await removeExchangeRate(db, user.orgId, id);
  revalidatePath("/network");
});

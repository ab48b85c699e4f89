"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/access/action";
import { setOrganizationTimeZone, timeZoneSchema } from "@/lib/access/organizations";

export const setTimeZoneAction = action({ schema: z.object({ timeZone: timeZoneSchema }), permission: "offers:write" }, async ({ timeZone }, { user, db }) => {
  await setOrganizationTimeZone(db, user.orgId, timeZone);
  revalidatePath("/network");
});

"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { wakeDeliveries } from "@/lib/outgoing/dispatcher";
import { action } from "@/lib/access/action";
import { changeStatusManually } from "@/lib/conversions/conversions";

export const changeConversionStatusAction = action(
  { schema: z.object({ id: z.string().min(1).max(64), status: z.enum(["lead", "approved", "rejected", "hold"]) }), permission: "conversions:write" },
  async ({ id, status }, { user, db }) => {
    const outcome = await db.transaction((tx) => changeStatusManually(tx, { orgId: user.orgId, userId: user.userId }, id, status));
    after(() => wakeDeliveries(outcome.deliveries));
    revalidatePath("/network/conversions");
    return { status: outcome.conversion?.status ?? status, relayed: outcome.deliveries.length };
  },
);

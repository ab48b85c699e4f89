"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/access/action";
import { decideMembership, membershipDecisionSchema } from "@/lib/access/memberships";

export const decideMembershipAction = action(
  { schema: membershipDecisionSchema.extend({ id: z.string().min(1).max(64) }), permission: "memberships:write" },
  async ({ id, status }, { user, db }) => {
    await decideMembership(db, user.orgId, id, status);
    revalidatePath("/network/affiliates");
  },
);

"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/access/action";
import { decideMembership } from "@/lib/access/memberships";

export const decideMembershipAction = action(
  { schema: z.object({ id: z.string().min(1).max(64), status: z.enum(["approved", "rejected"]) }), permission: "memberships:write" },
  async ({ id, status }, { user, db }) => {
    await decideMembership(db, user.orgId, id, status);
    revalidatePath("/network/affiliates");
  },
);

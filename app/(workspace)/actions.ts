"use server";

import { z } from "zod";
import { action } from "@/lib/access/action";
import { signOut } from "@/lib/access/auth";

export const signOutAction = action({ schema: z.object({}), permission: "signed-in" }, async () => {
  await signOut({ redirectTo: "/login" });
});

"use server";

import { z } from "zod";
import { action } from "@/lib/action";
import { signOut } from "@/lib/auth";

export const signOutAction = action({ schema: z.object({}), permission: "signed-in" }, async () => {
  await signOut({ redirectTo: "/login" });
});

import { serve } from "inngest/next";
import { inngest } from "./client";
import { functions } from "./functions";

/** The serve handler `/api/inngest` exposes (the local driver has its own in-process one). */
export const inngestHandler = serve({ client: inngest, functions });

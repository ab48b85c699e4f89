import { serve } from "inngest/next";
import { inngest } from "./client";
import { functions } from "./functions";

/** The serve handler `/api/inngest` exposes when Inngest is configured. */
export const inngestHandler = serve({ client: inngest, functions });

import { serve } from "inngest/next";
import { inngest } from "./client";
import { functions } from "./functions";

/** The one serve handler: `/api/inngest` exposes it, and the local driver calls it in process. */
export const inngestHandler = serve({ client: inngest, functions });

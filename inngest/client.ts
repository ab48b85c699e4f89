import { Inngest } from "inngest";

/** The one Inngest client. Functions and the serve route arrive with outgoing dispatch. */
export const inngest = new Inngest({ id: "postline" });

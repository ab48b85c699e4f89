import { Inngest } from "inngest";

/** The app's Inngest client: keys and the Dev Server come from the environment, as the SDK reads them. */
export const inngest = new Inngest({ id: "postline", checkpointing: false });

import { inngestHandler } from "@/inngest/serve";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const { GET, POST, PUT } = inngestHandler;

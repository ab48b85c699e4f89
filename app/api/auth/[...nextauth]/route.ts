import { handlers } from "@/lib/access/auth";

export const runtime = "nodejs";
export const { GET, POST } = handlers;

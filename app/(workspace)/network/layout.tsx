import type { ReactNode } from "react";
import { requireParty } from "@/lib/access/auth";

export default async function NetworkLayout({ children }: { children: ReactNode }) {
  await requireParty("network");
  return children;
}

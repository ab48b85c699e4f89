import type { ReactNode } from "react";
import { requireParty } from "@/lib/access/auth";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireParty("platform");
  return children;
}

import type { ReactNode } from "react";
import { requireParty } from "@/lib/access/auth";

export default async function AffiliateLayout({ children }: { children: ReactNode }) {
  await requireParty("affiliate");
  return children;
}

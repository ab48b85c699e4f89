import type { ReactNode } from "react";
import { requireParty } from "@/lib/access/auth";

export default async function MerchantLayout({ children }: { children: ReactNode }) {
  await requireParty("merchant");
  return children;
}

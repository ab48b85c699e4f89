import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/access/auth";
import { HOME_PATHS } from "@/lib/access/permissions";

/** A conversion's permalink for any party: it opens the reader's own timeline page (a 404 there when the conversion is not theirs). */
export default async function ConversionPermalink({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePermission("conversions:read");
  const { id } = await params;
  redirect(`${HOME_PATHS[user.orgKind]}/conversions/${encodeURIComponent(id)}`);
}

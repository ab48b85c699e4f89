import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/access/auth";
import { HOME_PATHS } from "@/lib/access/permissions";

export default async function IndexPage() {
  const user = await getSessionUser();
  redirect(user ? HOME_PATHS[user.orgKind] : "/login");
}

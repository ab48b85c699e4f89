import { getTranslations } from "next-intl/server";
import { LocalTime } from "@/components/local-time";
import { ProfileTimeZoneForm } from "@/components/profile-time-zone-form";
import { Card, PageHeader } from "@/components/ui/page";
import { getSessionUser } from "@/lib/access/auth";
import { readingTimeZone } from "@/lib/access/users";
import { redirect } from "next/navigation";

// Intl's list lacks the plain name most people type.
const ZONES = ["UTC", ...Intl.supportedValuesOf("timeZone")];

/** Every user's own settings: the zone they read times in (the language is the header's switch). */
export default async function ProfilePage() {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  const t = await getTranslations("profile");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Card title={t("timeZone")}>
        <ProfileTimeZoneForm timeZone={readingTimeZone(user)} zones={ZONES} />
        <p className="mt-4 text-sm text-slate-600" data-testid="profile-now">
          {t.rich("now", { time: () => <LocalTime iso={new Date().toISOString()} /> })}
        </p>
        <p className="mt-1 text-sm text-slate-600">{t("orgTimeZone", { zone: user.orgTimeZone })}</p>
      </Card>
    </>
  );
}

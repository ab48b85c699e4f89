import { getTranslations } from "next-intl/server";
import Link from "next/link";
import type { ReactNode } from "react";
import { setLocaleAction } from "@/app/(workspace)/actions";
import { can } from "@/lib/access/permissions";
import { readingTimeZone, type SessionUser } from "@/lib/access/users";
import { LANGUAGES } from "@/lib/platform/locale";
import { ConversionSearch } from "./conversion-search";
import { LocaleSwitch } from "./locale-switch";
import { NAV_ITEMS } from "./nav-items";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";
import { TimeZoneDefault } from "./time-zone-default";

export async function AppShell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const t = await getTranslations();
  const items = NAV_ITEMS[user.orgKind].filter((item) => can(user, item.permission));
  return (
    <div className="min-h-screen md:flex">
      <aside className="border-b border-slate-200 bg-white md:min-h-screen md:w-60 md:shrink-0 md:border-b-0 md:border-r">
        <div className="flex items-center justify-between gap-3 px-4 py-4 md:block">
          <div className="flex items-center gap-2">
            <img src="/favicon.svg" alt="" className="h-7 w-7" />
            <span className="text-lg font-semibold tracking-tight">Postline</span>
          </div>
          <p className="text-xs text-slate-500 md:mt-3">
            <span className="font-medium text-slate-700">{user.orgName}</span>
            <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-[11px] font-medium uppercase tracking-wide text-slate-600">
              {t(`shell.parties.${user.orgKind}`)}
            </span>
          </p>
        </div>
        <div className="px-2 pb-2 md:pb-4">
          <NavLinks items={items.map(({ href, label }) => ({ href, label: t(label) }))} />
        </div>
      </aside>
      {/* min-w-0: the content column shrinks to the window; wide tables scroll inside their cards. */}
      <div className="min-w-0 flex-1">
        <header className="flex items-center justify-end gap-3 border-b border-slate-200 bg-white px-4 py-2 md:px-8">
          {can(user, "conversions:read") ? <ConversionSearch /> : null}
          <span className="text-sm text-slate-600" data-testid="signed-in-as">
            {user.name} · {user.email}
          </span>
          <LocaleSwitch languages={LANGUAGES} action={setLocaleAction} />
          <Link href="/profile" data-testid="time-zone-link" title={t("profile.timeZoneLink")} className="text-sm text-slate-600 hover:text-slate-900 hover:underline">
            {readingTimeZone(user)}
          </Link>
          {user.timeZone ? null : <TimeZoneDefault />}
          <SignOutButton />
        </header>
        <main className="mx-auto max-w-6xl p-4 md:p-8">{children}</main>
      </div>
    </div>
  );
}

"use client";

import { useTranslations } from "next-intl";
import { createOrganizationAction, createUserAction, resetPasswordAction } from "@/app/(workspace)/admin/actions";
import { ActionButton } from "./action-button";
import { ActionForm } from "./action-form";
import { FieldError } from "./ui/field-error";
import { inputClass, labelClass } from "./ui/styles";

export function CreateOrganizationForm() {
  const t = useTranslations();
  return (
    <ActionForm action={createOrganizationAction} submitLabel={t("admin.organizations.submit")} success={() => t("admin.organizations.added")} className="grid gap-4 sm:grid-cols-3">
      {(error) => (
        <>
          <div>
            <label htmlFor="o-name" className={labelClass}>{t("admin.columns.name")}</label>
            <input id="o-name" name="name" className={inputClass} />
            <FieldError error={error} field="name" />
          </div>
          <div>
            <label htmlFor="o-kind" className={labelClass}>{t("admin.columns.kind")}</label>
            <select id="o-kind" name="kind" className={inputClass}>
              <option value="network">{t("shell.parties.network")}</option>
              <option value="merchant">{t("shell.parties.merchant")}</option>
              <option value="affiliate">{t("shell.parties.affiliate")}</option>
              <option value="platform">{t("admin.platformKind")}</option>
            </select>
          </div>
        </>
      )}
    </ActionForm>
  );
}

export function CreateUserForm({ organizations }: { organizations: { id: string; label: string }[] }) {
  const t = useTranslations("admin");
  return (
    <ActionForm action={createUserAction} submitLabel={t("users.submit")} success={() => t("users.added")} className="grid gap-4 sm:grid-cols-2">
      {(error) => (
        <>
          <div>
            <label htmlFor="u-org" className={labelClass}>{t("columns.organization")}</label>
            <select id="u-org" name="orgId" className={inputClass}>
              {organizations.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
            </select>
            <FieldError error={error} field="orgId" />
          </div>
          <div>
            <label htmlFor="u-role" className={labelClass}>{t("columns.role")}</label>
            <select id="u-role" name="role" className={inputClass} defaultValue="member">
              {(["owner", "member", "viewer"] as const).map((role) => <option key={role} value={role}>{t("role", { role })}</option>)}
            </select>
          </div>
          <div>
            <label htmlFor="u-name" className={labelClass}>{t("columns.name")}</label>
            <input id="u-name" name="name" className={inputClass} />
            <FieldError error={error} field="name" />
          </div>
          <div>
            <label htmlFor="u-email" className={labelClass}>{t("columns.email")}</label>
            <input id="u-email" name="email" type="email" className={inputClass} />
            <FieldError error={error} field="email" />
          </div>
          <div>
            <label htmlFor="u-password" className={labelClass}>{t("users.initialPassword")}</label>
            <input id="u-password" name="password" type="password" autoComplete="new-password" className={inputClass} />
            <FieldError error={error} field="password" />
          </div>
        </>
      )}
    </ActionForm>
  );
}

export function ResetPasswordButton({ id, email }: { id: string; email: string }) {
  const t = useTranslations("admin");
  return (
    <ActionButton
      action={resetPasswordAction}
      input={{ id }}
      label={t("users.resetPassword")}
      confirm={t("users.resetConfirm", { email })}
      done={(data) => t.rich("users.newPassword", { password: data.password, code: (chunks) => <code data-testid="new-password">{chunks}</code> })}
    />
  );
}

"use client";

import { createOrganizationAction, createUserAction, resetPasswordAction } from "@/app/(workspace)/admin/actions";
import { ActionButton } from "./action-button";
import { ActionForm } from "./action-form";
import { FieldError } from "./ui/field-error";
import { inputClass, labelClass } from "./ui/styles";

export function CreateOrganizationForm() {
  return (
    <ActionForm action={createOrganizationAction} submitLabel="Add organization" success={() => "Organization added. Add its first user under Users."} className="grid gap-4 sm:grid-cols-3">
      {(error) => (
        <>
          <div>
            <label htmlFor="o-name" className={labelClass}>Name</label>
            <input id="o-name" name="name" className={inputClass} />
            <FieldError error={error} field="name" />
          </div>
          <div>
            <label htmlFor="o-kind" className={labelClass}>Kind</label>
            <select id="o-kind" name="kind" className={inputClass}>
              <option value="network">Network</option>
              <option value="merchant">Merchant</option>
              <option value="affiliate">Affiliate</option>
              <option value="platform">Admin (platform)</option>
            </select>
          </div>
        </>
      )}
    </ActionForm>
  );
}

export function CreateUserForm({ organizations }: { organizations: { id: string; label: string }[] }) {
  return (
    <ActionForm action={createUserAction} submitLabel="Add user" success={() => "User added."} className="grid gap-4 sm:grid-cols-2">
      {(error) => (
        <>
          <div>
            <label htmlFor="u-org" className={labelClass}>Organization</label>
            <select id="u-org" name="orgId" className={inputClass}>
              {organizations.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
            </select>
            <FieldError error={error} field="orgId" />
          </div>
          <div>
            <label htmlFor="u-role" className={labelClass}>Role</label>
            <select id="u-role" name="role" className={inputClass} defaultValue="member">
              <option value="owner">Owner</option>
              <option value="member">Member</option>
              <option value="viewer">Viewer (read only)</option>
            </select>
          </div>
          <div>
            <label htmlFor="u-name" className={labelClass}>Name</label>
            <input id="u-name" name="name" className={inputClass} />
            <FieldError error={error} field="name" />
          </div>
          <div>
            <label htmlFor="u-email" className={labelClass}>Email</label>
            <input id="u-email" name="email" type="email" className={inputClass} />
            <FieldError error={error} field="email" />
          </div>
          <div>
            <label htmlFor="u-password" className={labelClass}>Initial password</label>
            <input id="u-password" name="password" type="password" autoComplete="new-password" className={inputClass} />
            <FieldError error={error} field="password" />
          </div>
        </>
      )}
    </ActionForm>
  );
}

export function ResetPasswordButton({ id, email }: { id: string; email: string }) {
  return (
    <ActionButton
      action={resetPasswordAction}
      input={{ id }}
      label="Reset password"
      confirm={`Set a new password for ${email}? The old one stops working.`}
      done={(data) => <>New password, shown once: <code data-testid="new-password">{data.password}</code></>}
    />
  );
}

import type { ActionError } from "@/lib/access/action";

/**
 * Shows an action's message for one field: every invalid field has its own (`fields`), so a form
 * marks them all at once; an error without a field shows where `fallback` is set.
 */
export function FieldError({ error, field, fallback = false }: { error: ActionError | null; field: string; fallback?: boolean }) {
  if (!error) return null;
  const own = field && error.fields && Object.hasOwn(error.fields, field) ? error.fields[field] : undefined;
  const message = own ?? (field && error.field === field ? error.message : null);
  const shown = message ?? (fallback && !error.field ? error.message : null);
  if (!shown) return null;
  return (
    <p role="alert" className="mt-1 text-sm text-red-600">
      {shown}
    </p>
  );
}

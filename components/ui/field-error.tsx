import type { ErrorBody } from "@/lib/platform/errors";

/** Shows an action's error next to the field it names; an error without a field shows under the last field given. */
export function FieldError({ error, field, fallback = false }: { error: ErrorBody | null; field: string; fallback?: boolean }) {
  if (!error) return null;
  if (error.field !== field && !(fallback && !error.field)) return null;
  return (
    <p role="alert" className="mt-1 text-sm text-red-600">
      {error.message}
    </p>
  );
}

import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center gap-3 p-6 text-center">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="text-slate-600">This page does not exist, or it belongs to another organization.</p>
      <Link href="/" className="mt-2 text-sm font-medium text-brand-600 hover:underline">
        Back to your workspace
      </Link>
    </main>
  );
}

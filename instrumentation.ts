export async function register() {
  // Node only: the database and the boot checks have no place in an edge runtime.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootServer } = await import("./db/boot");
  await bootServer();
}

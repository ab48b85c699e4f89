import { LogsScreen } from "@/app/(workspace)/_screens/logs-screen";

export default async function LogsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  return <LogsScreen tabs={["incoming", "outgoing"]} searchParams={await searchParams} />;
}

import { LogsScreen } from "@/app/(workspace)/_screens/logs-screen";

export default async function AffiliateLogsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  return <LogsScreen tabs={["outgoing"]} searchParams={await searchParams} />;
}

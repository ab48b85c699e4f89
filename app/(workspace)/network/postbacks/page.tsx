import { PostbackListScreen } from "@/components/postback-screens";

export default function PostbacksPage() {
  return <PostbackListScreen />;
}

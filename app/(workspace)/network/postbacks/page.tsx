import { PostbackListScreen } from "@/app/(workspace)/_screens/postback-screens";

export default function PostbacksPage() {
  return <PostbackListScreen />;
}

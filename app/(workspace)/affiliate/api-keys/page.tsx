import { ApiKeysScreen } from "../../_screens/api-keys-screen";

export default ApiKeysScreen;

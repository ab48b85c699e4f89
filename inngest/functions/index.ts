import { deliverPostback } from "./deliver-postback";
import { sweepDeliveries } from "./sweep-deliveries";

export const functions = [deliverPostback, sweepDeliveries];

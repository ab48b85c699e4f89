import { deliverPostback } from "./deliver-postback";
import { approveHeldConversionFunction } from "./approve-held-conversion";
import { sweepDeliveries } from "./sweep-deliveries";

export const functions = [deliverPostback, sweepDeliveries, approveHeldConversionFunction];

/** A request the run service refused, shown as a usage error (exit 2) with the service's reason. */
import { RequestRefused } from "../runtime/service/run-service.js";
import { UsageError } from "./exit.js";

export async function refusedAsUsage<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof RequestRefused) throw new UsageError(error.message);
    throw error;
  }
}

import { env } from "../../../lib/env";

// Both limits are needed: the window alone means nothing (env-doctor's pair check).
const windowMs = Number(process.env.INGEST_RATE_LIMIT_WINDOW_MS);
const maxRequests = Number(process.env.INGEST_RATE_LIMIT_MAX_REQUESTS);

export async function POST(request: Request): Promise<Response> {
  const origin = request.headers.get("origin") ?? env.appUrl;
  return Response.json({ origin, windowMs, maxRequests });
}

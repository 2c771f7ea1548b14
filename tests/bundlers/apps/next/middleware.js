// Middleware, which Next.js runs in the edge runtime with either bundler, answering /edge-middleware with a direct
// client's calls.
import * as luxsci from "luxsci";
import { calls } from "./calls.js";

export const config = { matcher: "/edge-middleware" };

export async function middleware(request) {
  const row = new URL(request.url).searchParams.get("row");
  return Response.json(await calls(luxsci, JSON.parse(process.env.LUXSCI_TARGET), row));
}

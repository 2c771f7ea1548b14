// A route handler in the edge runtime (the package's "edge-light" entry) with a direct client.
import * as luxsci from "luxsci";
import { calls } from "../../calls.js";

export const runtime = "edge";

export async function GET(request) {
  const row = new URL(request.url).searchParams.get("row");
  return Response.json(await calls(luxsci, JSON.parse(process.env.LUXSCI_TARGET), row));
}

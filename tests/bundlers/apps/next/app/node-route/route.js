// A route handler in the Node runtime with a direct client (the secret on the server), calling the sandbox.
import * as luxsci from "luxsci";
import { calls } from "../../calls.js";

export async function GET(request) {
  const row = new URL(request.url).searchParams.get("row");
  return Response.json(await calls(luxsci, JSON.parse(process.env.LUXSCI_TARGET), row));
}

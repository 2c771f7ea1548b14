#!/usr/bin/env node
// The `luxsci-sandbox` command: parses flags, starts the sandbox, prints one JSON line of connection details, serves until SIGINT/SIGTERM.
import { parseArgs } from "node:util";
import { startSandbox } from "./index.js";

const USAGE = `usage: luxsci-sandbox [--port N] [--host H] [--token T] [--secret S] [--account-id ID]
                      [--username U] [--password P] [--data FILE] [--faults]
                      [--auth-idle-seconds N] [--clock-skew-seconds N] [--max-body-bytes N] [--log-limit N]`;

const STRINGS = ["host", "token", "secret", "account-id", "username", "password", "data"];
const NUMBERS = { port: "port", "auth-idle-seconds": "authIdleSeconds", "clock-skew-seconds": "clockSkewSeconds", "max-body-bytes": "maxBodyBytes", "log-limit": "logLimit" };
const NAMES = { "account-id": "accountId", data: "dataFile" };

function optionsFrom(argv) {
  const spec = { faults: { type: "boolean" }, help: { type: "boolean" } };
  for (const name of [...STRINGS, ...Object.keys(NUMBERS)]) spec[name] = { type: "string" };
  const { values } = parseArgs({ args: argv, options: spec, strict: true });
  if (values.help) return null;
  const options = { faults: values.faults === true };
  for (const name of STRINGS) if (values[name] !== undefined) options[NAMES[name] ?? name] = values[name];
  for (const [flag, name] of Object.entries(NUMBERS)) {
    if (values[flag] === undefined) continue;
    const number = Number(values[flag]);
    if (values[flag].trim() === "" || !Number.isFinite(number)) throw new Error(`--${flag} must be a number`);
    options[name] = number;
  }
  return options;
}

async function main() {
  let options;
  try {
    options = optionsFrom(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`luxsci-sandbox: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sandbox = await startSandbox(options);
  const { url, token, secret, accountId, username, password } = sandbox;
  process.stdout.write(`${JSON.stringify({ url, token, secret, accountId, username, password })}\n`);
  const stop = () => sandbox.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error) => {
  process.stderr.write(`luxsci-sandbox: ${error.message}\n`);
  process.exit(1);
});
